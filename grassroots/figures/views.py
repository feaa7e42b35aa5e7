"""The dashboard (docs/figures.md): for an area of the official's scope, what needs their action first (the
worklists of the home, lost contacts, overdue tasks), then every figure they may see for the subtree, the
chosen figure per child area (ranked, the ones behind first; a click opens the same dashboard for the child)
and its monthly trend. `?area=` outside every scope of the user's figures is a 404; the figures shown for an
area are those whose permission covers it. The officials' home is the same dashboard for the top of their
scope (`grassroots.figures.panel`, read by both)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from grassroots.areas.subtree import lies_under
from grassroots.figures import panel


def selection(request) -> tuple:
    """What the dashboard (and its export) shows for the request: the area asked (`?area=`, default the top
    of the user's scopes), the year, the figures the user may see there and the paths of the user's scopes.
    Without the officials' permission: PermissionDenied; an area outside every scope: Http404."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    from grassroots.figures.api import year_of

    try:
        year = year_of(request)
    except (ValidationError, DjangoValidationError):
        year = timezone.localdate().year
    found = panel.select(request.user, request.GET.get("area"), year)
    return found.area, found.year, found.shown, found.paths


@login_required
def dashboard(request):
    from grassroots.portal.selectors import todo_groups

    area, year, shown, paths = selection(request)
    # The figures from the read replica (up to its lag behind; through the figure cache like the home's); the
    # scope above and the worklists below on the primary (docs/scaling.md).
    context = panel.panel(
        request.user,
        panel.Selection(area, year, shown, paths),
        request.GET.get("figure") or "",
        lagging=True,
    )
    context["breadcrumb"] = [a for a in area.ancestors_with_self() if lies_under(a.path, paths)]
    # The worklists computed on every view: they change as soon as the user acts.
    context["todo"] = {"groups": todo_groups(request.user, limit=5)}
    return render(request, "figures/dashboard.html", context)
