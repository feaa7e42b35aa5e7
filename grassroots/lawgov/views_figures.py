"""法治数据: the figures of an area's subtree (disputes, settlement, median days, escalations, open cases at
risk and overdue; the stations' sessions, bookings and consultations) and of each child area, the ones behind
first; a click on a child opens the same page for it. For those who see the cases of an area
(`lawgov.disputes`: officials, mediators, legal workers, auditors); an area outside their scope is 404. Five
queries of figures, whatever the tree (lawgov/figures.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grassroots.access.scoping import scope_paths
from grassroots.areas.subtree import lies_under
from grassroots.lawgov.exports import figures_rows
from grassroots.lawgov.selectors_disputes import VIEW


@login_required
def figures(request):
    area, year, figures = figures_rows(request)  # as its export (lawgov/exports.py)
    paths = scope_paths(request.user, VIEW)
    return render(
        request,
        "lawgov/figures.html",
        {
            "area": area,
            "year": year,
            "breadcrumb": [a for a in area.ancestors_with_self() if lies_under(a.path, paths)],
            "figures": figures,
        },
    )
