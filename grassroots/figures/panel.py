"""The dashboard of an area, as the page /dashboard/ and the officials' home both show it (docs/figures.md):
what asks for action (overdue tasks, branches behind, lost contacts, care visits due), then every figure the
user may see for the area's subtree, the chosen figure per child area (ranked, the ones behind first; the
map of Ya'an's counties at the city, a bar chart below) and its monthly trend.

The figures are read through the figure cache (`grassroots.figures.cache`: `HOME_FIGURES_CACHE_SECONDS`,
shared by every viewer of the area): the subtree's totals in one entry per set of figures shown, the chosen
figure's breakdown and trend in one entry per figure. Computed, that is one aggregate per figure plus the
roll-up's statement(s) and the trend's, never a query per child area."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under
from grassroots.figures import compute, registry
from grassroots.figures.cache import cached
from grassroots.ids import as_id
from grassroots.pages import area_map


@dataclass
class Selection:
    """What a dashboard shows: the area, the year, the figures the user may see there, the user's scopes."""

    area: Area
    year: int
    shown: list
    paths: list[str]


def select(user, area_id: str | None = None, year: int | None = None) -> Selection:
    """The area asked (`area_id`, default the top of the user's scopes), the year (default this one) and the
    figures the user may see there. Without the officials' permission: PermissionDenied; an area outside
    every scope of the user's figures: Http404."""
    if not has_perm(user, registry.DASHBOARD):
        raise PermissionDenied
    figures = registry.visible(user)
    scopes = {d.name: registry.scope_of(user, d) for d in figures}
    paths = sorted({p for found in scopes.values() for p in found})
    if not paths:
        raise PermissionDenied
    if area_id in (None, ""):
        area = Area.objects.get(path=min(paths, key=lambda p: (len(p), p)))
    else:
        pk = as_id(area_id)
        area = Area.objects.filter(pk=pk).first() if pk is not None else None
        if area is None or not lies_under(area.path, paths):
            raise Http404
    year = year or timezone.localdate().year
    return Selection(area, year, [d for d in figures if lies_under(area.path, scopes[d.name])], paths)


def default_figure(shown: list):
    """The figure chosen when none is asked: the first key figure of the registry (`HOME_FIGURES`) shown,
    else the first shown."""
    names = {d.name: d for d in shown}
    for name, _permission in registry.HOME_FIGURES:
        if name in names:
            return names[name]
    return shown[0] if shown else None


def _key(names) -> str:
    return hashlib.sha256(",".join(sorted(names)).encode()).hexdigest()[:16]


def _breakdown_and_trend(definition, area: Area, year: int, today):
    result = compute.breakdown(definition, area, year, today)
    return (result.total, result.own, result.children), compute.monthly(definition, area, year, today)


def panel(user, selection: Selection, figure: str = "", *, lagging: bool = False) -> dict:
    """The context of the dashboard's figures for `selection` (`figure`: the chosen one's name; `lagging`:
    read from the replica also when the cache is off, `figures.cache.cached`)."""
    area, year, shown = selection.area, selection.year, selection.shown
    today = timezone.localdate()
    chosen = registry.get(figure or "")
    if chosen not in shown:
        chosen = default_figure(shown)
    totals, counted_at = cached(
        f"totals:{area.path}:{year}:{_key(d.name for d in shown)}",
        lambda: compute.totals(shown, area, year, today),
        lagging=lagging,
    )
    result, trend, moments = None, [], [counted_at]
    if chosen is not None:
        found, at = cached(
            f"breakdown:{chosen.name}:{area.path}:{year}",
            lambda: _breakdown_and_trend(chosen, area, year, today),
            lagging=lagging,
        )
        (total, own, children), trend = found
        result = compute.Result(chosen, area, year, total, own, children)
        moments.append(at)
    url = reverse("figures:dashboard")
    return {
        "area": area,
        "year": year,
        "dashboard_url": url,
        "tiles": [(d, totals[d.name], registry.parts_of(d)) for d in shown],
        "chosen": chosen,
        "result": result,
        "children_map": _map(result, year, url) if result and area.level == Level.CITY else None,
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
        "computed_at": min(moments),
    }


def _num(value):
    return None if value is None else float(value)


def _chart(lines, name) -> dict:
    return {
        "labels": [line.area.name for line in lines],
        "values": [_num(line.value) for line in lines],
        "name": name,
    }


def _map(result, year: int, url: str) -> dict:
    """The city's counties coloured by the chosen figure (the child areas matched by name on the map); a click
    on a county opens its dashboard."""
    definition = result.definition
    regions = [
        (line.area.name, line.value, f"{url}?area={line.area.pk}&year={year}&figure={definition.name}")
        for line in result.children
    ]
    return area_map(regions, name=definition.label, unit=definition.unit)


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
