"""Reads for the shell and the home pages: notices a user may see, the worklists, and what the home pages
take from other parts (unread notifications, pending items, upcoming gatherings). The figures are the
registry's (grassroots/figures): the officials' home is their area's dashboard (`grassroots.figures.panel`).

Every figure is an aggregate over the area path prefixes of the user's scope: the number of queries does not
grow with the number of areas, people or notices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from grassroots.access.scoping import has_perm, scope_paths, scope_q, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.figures.registry import HOME_FIGURES, figures_for, provider_label, register_home_figure
from grassroots.gatherings import selectors as gatherings_selectors
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from grassroots.workflow import selectors as workflow_selectors
from grassroots.workflow.models import PendingItem


def unread_count(user) -> int:
    """Unread in-app notifications (the bell in the top bar)."""
    return workflow_selectors.unread_count(user)


def pending_for(user, limit: int = 10) -> list[PendingItem]:
    """Records awaiting a transition the user may take (items with .title .url .state_label .since)."""
    return workflow_selectors.pending_for(user, limit=limit)


def upcoming_gatherings(user, limit: int = 5) -> list[Gathering]:
    """Gatherings the user may see, soonest first."""
    return gatherings_selectors.upcoming_for(user, limit=limit)


# --- areas ------------------------------------------------------------------------------------------------


def home_trail(user) -> list[Area]:
    """The user's home area and the areas above it, root first (two queries at most)."""
    if not user.home_area_id:
        return []
    return user.home_area.ancestors_with_self()


def community_of(trail: list[Area]) -> Area | None:
    return next((a for a in trail if a.level == Level.COMMUNITY), trail[-1] if trail else None)


# --- notices ----------------------------------------------------------------------------------------------


def _anchor_paths(user, trail: list[Area] | None = None) -> list[str]:
    """Areas whose own notices and ancestors' notices concern the user: the working area when one is picked,
    otherwise every grant area and the home area."""
    active = getattr(user, "active_area_path", None)
    if active:
        return [active]
    paths = [grant.area.path for grant in user.grants_cached()]
    if trail is None:
        trail = home_trail(user)
    if trail:
        paths.append(trail[-1].path)
    return paths


def notices_q(user, trail: list[Area] | None = None) -> Q:
    """Notices addressed to the user's areas or above them, plus (for workers and officials) those of their
    subtree."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    above = ancestor_paths(_anchor_paths(user, trail))
    return Q(area__path__in=above) | scope_q(user, "notices.view", "area__path")


def visible_notices(user, trail: list[Area] | None = None) -> QuerySet[Notice]:
    """Published notices the user may read, pinned first, newest first."""
    return (
        Notice.objects.filter(notices_q(user, trail), published_at__lte=timezone.now())
        .select_related("area", "author")
        .order_by("-pinned", "-published_at", "-id")
    )


def notices_for_list(user) -> QuerySet[Notice]:
    """The notice list: what the user may read, and for managers also the scheduled notices they may edit."""
    q = notices_q(user) & Q(published_at__lte=timezone.now())
    if has_perm(user, "notices.manage"):
        q |= scope_q(user, "notices.manage", "area__path")
    return (
        Notice.objects.filter(q).select_related("area", "author").order_by("-pinned", "-published_at", "-id")
    )


def notice_areas(user) -> QuerySet[Area]:
    """Areas the user may address a notice to: their managed subtrees, down to two levels below the top of
    their scope (so that the choice stays short even for a city official)."""
    paths = scope_paths(user, "notices.manage")
    if not paths:
        return Area.objects.none()
    top_depth = min(len(p) // Area.steplen for p in paths)
    return scoped(
        Area.objects.filter(retired=False, depth__lte=top_depth + 2), user, "notices.manage"
    ).order_by("path")


# --- the residents of the user's scope (the verification block) -------------------------------------------


def residents_in_scope(user) -> dict:
    """{"total", "verified"}: the registry's `accounts.residents` (grassroots/accounts/figures.py) summed over
    the subtrees the user may see people in (`accounts.view`), through the figure cache (one aggregate per
    depth among the subtrees when computed)."""
    from grassroots.figures import compute, registry
    from grassroots.figures.cache import cached

    definition = registry.get("accounts.residents")
    paths = scope_paths(user, "accounts.view")
    if definition is None or not paths:
        return {"total": 0, "verified": 0}
    if hasattr(user, "grants_cached"):
        user.grants_cached()  # the user's scope from the primary: only the counts may come from the replica
    key = hashlib.sha256(",".join(sorted(paths)).encode()).hexdigest()[:16]
    counts, _at = cached(f"scope:{definition.name}:{key}", lambda: compute.over_paths(definition, paths))
    return {"total": counts.get("total") or 0, "verified": counts.get("verified") or 0}


# --- what waits for the user, grouped ---------------------------------------------------------------------


@dataclass
class TodoLine:
    """One piece of work: a subject, in one or more areas (each linking to its record)."""

    subject: str
    url: str
    state_label: str
    since: datetime
    deadline: date | None = None
    areas: list[tuple[str, str]] = field(default_factory=list)  # (area label, record url)


@dataclass
class TodoGroup:
    kind: str
    label: str
    total: int
    lines: list[TodoLine]

    @property
    def url(self) -> str:
        return reverse("portal:todo") + f"?kind={self.kind}"


def area_labels(user, areas) -> dict[int, str]:
    """{area id: its path below the top of the user's scope}, e.g. "东城街道 › 东大街社区" for a county
    official: the ancestors of all the areas in one query."""
    areas = {a.pk: a for a in areas if a is not None}
    if not areas:
        return {}
    tops = scope_paths(user, "areas.view")
    paths = ancestor_paths([a.path for a in areas.values()], include_self=False)
    names = dict(Area.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    labels = {}
    for pk, area in areas.items():
        top = max((t for t in tops if lies_under(area.path, t)), key=len, default="")
        step = Area.steplen
        above = (area.path[:i] for i in range(len(top) + step, len(area.path), step))
        below = [names[path] for path in above if path in names]
        labels[pk] = " › ".join([*below, area.name])
    return labels


def todo_groups(user, limit: int = 10, lines: int | None = None) -> list[TodoGroup]:
    """The user's worklists by kind: within a kind, items with one subject (one task sent to four streets)
    are one line naming its areas; each line with its area path and deadline. One query per workflow
    model whose items are read, one for the areas' ancestors. `lines`: the first kinds' lines only, up to
    that many in all; the later kinds with their total (`pending_groups`; the home's block)."""
    groups = workflow_selectors.pending_groups(user, limit=limit, lines=lines)
    labels = area_labels(user, [item.area for group in groups for item in group.items])
    out = []
    for group in groups:
        lines: dict[str, TodoLine] = {}
        for item in group.items:
            line = lines.get(item.subject)
            if line is None:
                line = lines[item.subject] = TodoLine(
                    subject=item.subject or item.title,
                    url=item.url,
                    state_label=item.state_label,
                    since=item.since,
                    deadline=item.deadline,
                )
            if item.area is not None:
                line.areas.append((labels.get(item.area.pk, item.area.name), item.url))
        out.append(TodoGroup(group.kind, group.label, group.total, list(lines.values())))
    return out


# --- key figures of the user's area, the children behind first --------------------------------------------

# The key figures and their permissions are the figure registry's (grassroots/figures/registry.py): a part
# adds its own with `register_home_figure` there (also importable from here, as before).
__all__ = ["HOME_FIGURES", "register_home_figure"]
BEHIND = 3  # children shown under each figure


@dataclass
class FigureLine:
    name: str
    label: str
    percent: int | None
    detail: str
    url: str
    behind: list[tuple[Area, int, str, str]] = field(default_factory=list)  # (child, percent, detail, url)


@dataclass
class AreaFigures:
    area: Area
    lines: list[FigureLine]
    computed_at: datetime | None = None  # when the oldest of its lines was computed (they may be cached)


def _percent(figure) -> int | None:
    rate = figure.normalized_rate if figure is not None else None
    return None if rate is None else round(rate * 100)


def key_figures(
    user, year: int | None = None, max_areas: int = 3, only_providers: bool = False
) -> list[AreaFigures]:
    """For each top area of the user's scope (at most `max_areas`), each home figure the user may see: the
    area's rate and its children with the lowest rates first. Per area: one query for the children, and per
    figure what its provider costs (one or two aggregate queries for all the children at once).
    `only_providers`: only the assessments' rates that the dashboard does not compute (the home shows the
    others among the dashboard's figures)."""
    from grassroots.areas.selectors import children_of
    from grassroots.figures import registry
    from grassroots.figures.cache import cached

    year = year or timezone.localdate().year
    shown = [(name, perm) for name, perm in HOME_FIGURES if has_perm(user, perm)]
    if only_providers:
        shown = [(name, perm) for name, perm in shown if not getattr(registry.get(name), "computed", False)]
    if not shown:
        return []
    paths = scope_paths(user, "areas.view")[:max_areas]
    out = []
    for area in Area.objects.filter(path__in=paths).order_by("path"):
        children = list(children_of(area).filter(retired=False))
        lines, computed_at = [], None
        for name, _perm in shown:
            # The same for every viewer of the area (the permission is checked above): one cache entry.
            targets = [*children, area]
            figures, at = cached(
                f"provider:{name}:{area.path}:{year}",
                lambda name=name, targets=targets: figures_for(name, targets, year),
            )
            if figures is None:  # that part is not built: nothing to show
                continue
            computed_at = min(computed_at or at, at)
            own = figures.get(area.pk)
            behind = sorted(
                (
                    (child, _percent(figures[child.pk]), figures[child.pk].detail, figures[child.pk].url)
                    for child in children
                    if (_percent(figures.get(child.pk)) or 100) < 100  # behind: below the full rate
                ),
                key=lambda row: (row[1], row[0].path),
            )[:BEHIND]
            lines.append(
                FigureLine(
                    name=name,
                    label=provider_label(name),
                    percent=_percent(own),
                    detail=own.detail if own else "",
                    url=own.url if own else "",
                    behind=behind,
                )
            )
        if lines:
            out.append(AreaFigures(area, lines, computed_at))
    return out
