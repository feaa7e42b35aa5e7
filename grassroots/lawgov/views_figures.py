"""法治数据: the figures of an area's subtree (disputes, settlement, median days, escalations, open cases at
risk and overdue; the stations' sessions, bookings and consultations) and of each child area, the ones behind
first; a click on a child opens the same page for it. For those who see the cases of an area
(`lawgov.disputes`: officials, mediators, legal workers, auditors); an area outside their scope is 404. Five
queries of figures, whatever the tree (lawgov/figures.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grassroots.access.scoping import area_from_request, scope_paths
from grassroots.areas.subtree import lies_under
from grassroots.lawgov.figures import subtree_figures
from grassroots.lawgov.selectors_disputes import VIEW
from grassroots.pages import year_param


@login_required
def figures(request):
    area = area_from_request(request, VIEW, required=True)
    year = year_param(request)
    paths = scope_paths(request.user, VIEW)
    return render(
        request,
        "lawgov/figures.html",
        {
            "area": area,
            "year": year,
            "breadcrumb": [a for a in area.ancestors_with_self() if lies_under(a.path, paths)],
            "figures": subtree_figures(area, year),
        },
    )
