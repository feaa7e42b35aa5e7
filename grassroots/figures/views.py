"""The dashboard (docs/figures.md): for an area of the official's scope, what needs their action first (the
worklists of the home, lost contacts, overdue tasks), then every figure they may see for the subtree, the
chosen figure per child area (ranked, the ones behind first; a click opens the same dashboard for the child)
and its monthly trend. `?area=` outside every scope of the user's figures is a 404; the figures shown for an
area are those whose permission covers it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots import replica
from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under
from grassroots.figures import compute, registry
from grassroots.figures.api import year_of
from grassroots.pages import area_map


def _area(request, paths: list[str]) -> Area:
    raw = request.GET.get("area")
    if raw in (None, ""):
        top = min(paths, key=lambda p: (len(p), p))
        return Area.objects.get(path=top)
    try:
        area = Area.objects.get(pk=int(raw))
    except (ValueError, Area.DoesNotExist) as exc:
        raise Http404 from exc
    if not lies_under(area.path, paths):
        raise Http404
    return area


def _chart(lines, name) -> dict:
    return {
        "labels": [line.area.name for line in lines],
        "values": [_num(line.value) for line in lines],
        "name": name,
    }


def _map(result, year: int) -> dict:
    """The city's counties coloured by the chosen figure (the child areas matched by name on the map); a click
    on a county opens its dashboard."""
    url = reverse("figures:dashboard")
    definition = result.definition
    regions = [
        (line.area.name, line.value, f"{url}?area={line.area.pk}&year={year}&figure={definition.name}")
        for line in result.children
    ]
    return area_map(regions, name=definition.label, unit=definition.unit)


def _num(value):
    return None if value is None else float(value)


def selection(request) -> tuple[Area, int, list, list[str]]:
    """What the dashboard (and its export) shows for the request: the area asked (`?area=`, default the top
    of the user's scopes), the year, the figures the user may see there and the paths of the user's scopes.
    Without the officials' permission: PermissionDenied; an area outside every scope: Http404."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    user = request.user
    if not has_perm(user, registry.DASHBOARD):
        raise PermissionDenied
    figures = registry.visible(user)
    scopes = {d.name: registry.scope_of(user, d) for d in figures}
    paths = sorted({p for found in scopes.values() for p in found})
    if not paths:
        raise PermissionDenied
    area = _area(request, paths)
    try:
        year = year_of(request)
    except (ValidationError, DjangoValidationError):
        year = timezone.localdate().year
    return area, year, [d for d in figures if lies_under(area.path, scopes[d.name])], paths


@login_required
def dashboard(request):
    user = request.user
    area, year, shown, paths = selection(request)
    today = timezone.localdate()
    chosen = registry.get(request.GET.get("figure") or "")
    if chosen not in shown:
        chosen = shown[0] if shown else None
    # The figures from the read replica (up to its lag behind); the scope above and the worklists below on
    # the primary (docs/scaling.md).
    with replica.reads():
        totals = compute.totals(shown, area, year, today)
        result = compute.breakdown(chosen, area, year, today) if chosen else None
        trend = compute.monthly(chosen, area, year, today) if chosen else []
    from grassroots.portal.selectors import todo_groups

    return render(
        request,
        "figures/dashboard.html",
        {
            "area": area,
            "year": year,
            "breadcrumb": [a for a in area.ancestors_with_self() if lies_under(a.path, paths)],
            "todo": {"groups": todo_groups(user, limit=5)},
            "tiles": [(d, totals[d.name], registry.parts_of(d)) for d in shown],
            "chosen": chosen,
            "result": result,
            "children_map": _map(result, year) if result and area.level == Level.CITY else None,
            "children_chart": _chart(result.children, str(chosen.label))
            if result and result.children and area.level != Level.CITY
            else None,
            "trend_chart": {
                "labels": [f"{row['month']}月" for row in trend],
                "values": [_num(row["value"]) for row in trend],
                "name": str(chosen.label),
            }
            if trend
            else None,
            "attention": _attention(totals, area),
        },
    )


# What asks for action when not zero, shown first beside the worklists: (figure, its count, label, url name).
ATTENTION = (
    ("duties.completion", "overdue", _("逾期未完成的任务"), "duties:progress"),
    ("orglife.compliance", "behind", _("组织生活未达标的支部"), "orglife:compliance"),
    ("members.lost_contact", "lost", _("失联党员"), "members:find"),
    ("members.care_due", "due", _("待走访的关爱对象"), "members:care"),
)


def _attention(totals: dict, area: Area) -> list[tuple[str, int, str]]:
    out = []
    for name, key, label, url_name in ATTENTION:
        line = totals.get(name)
        if line is None:
            continue
        counts = dict(line.counts)
        counts["behind"] = (counts.get("judged") or 0) - (counts.get("compliant") or 0)
        if counts.get(key):
            out.append((label, counts[key], reverse(url_name) + f"?area={area.pk}"))
    return out
