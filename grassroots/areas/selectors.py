"""Reads of the area tree and Party organizations that pages, the API, imports and exports share.

None of these apply the user's scope by themselves unless they take a `user`: callers load the area through
`grassroots.access.scoping` first (a visible area's whole subtree is visible, because a grant covers its
subtree). Every function here runs a fixed number of queries, whatever the size of the tree.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from grassroots.access.scoping import scope_paths
from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import ancestor_paths, children_q, lies_under, under_q

User = get_user_model()


def scope_roots(user, permission: str = "areas.view") -> list[Area]:
    """The top areas of the user's scope for `permission` (for a city official: the city). One query."""
    paths = scope_paths(user, permission)
    if not paths:
        return []
    return list(Area.objects.filter(path__in=paths).order_by("path"))


def children_of(area: Area) -> QuerySet[Area]:
    """The direct children of `area`, in tree order (retired ones included; `numchild` tells whether each has
    children of its own). One query however many children; slice it to page."""
    return Area.objects.filter(children_q(area.path)).order_by("path")


def parent_of(area: Area) -> Area | None:
    if area.depth <= 1:
        return None
    return Area.objects.filter(path=area.path[: (area.depth - 1) * area.steplen]).first()


def breadcrumbs(area: Area, user, permission: str = "areas.view") -> list[tuple[Area, bool]]:
    """(ancestor, reachable) from the root down to `area`, in one query. Ancestors above the user's scope
    are shown as plain text, not links."""
    paths = scope_paths(user, permission)
    return [(a, lies_under(a.path, paths)) for a in area.ancestors_with_self()]


def subtree_level_counts(area: Area) -> list[tuple[str, int]]:
    """How many live areas of each level lie below `area`: one aggregate query over the path prefix."""
    rows = (
        Area.objects.filter(under_q(area.path, "path"), depth__gt=area.depth, retired=False)
        .values("level")
        .annotate(n=Count("id"))
        .order_by("level")
    )
    return [(Level(row["level"]).label, row["n"]) for row in rows]


def live_subtree_counts(area: Area) -> tuple[int, int]:
    """(live descendant areas, live Party organizations in the subtree): what retiring `area` would hit."""
    areas = Area.objects.filter(under_q(area.path, "path"), depth__gt=area.depth, retired=False).count()
    orgs = PartyOrg.objects.filter(under_q(area.path, "area__path"), retired=False).count()
    return areas, orgs


def party_orgs_of(area: Area) -> QuerySet[PartyOrg]:
    """The Party organizations attached to `area` itself (not its subtree)."""
    return (
        PartyOrg.objects.filter(area=area)
        .select_related("parent", "secretary")
        .order_by("retired", "kind", "name")
    )


def people_of(area: Area) -> QuerySet:
    """Users holding a role on `area` itself, and residents living anywhere in its subtree. Each user gets
    `grants_here` (their grants on this area). Three queries per page (count, rows, grants)."""
    return (
        User.objects.filter(
            Q(Exists(RoleGrant.objects.filter(user=OuterRef("pk"), area=area)))
            | under_q(area.path, "home_area__path")
        )
        .select_related("home_area")
        .prefetch_related(
            Prefetch("grants", queryset=RoleGrant.objects.filter(area=area), to_attr="grants_here")
        )
        .order_by("username")
    )


def people_in_paths_q(paths: list[str]) -> Q:
    """Users who hold a grant, or live, somewhere under one of `paths` (EXISTS, so no duplicates)."""
    if not paths:
        return Q(pk__in=[])
    grant_inside = RoleGrant.objects.filter(under_q(paths, "area__path"), user=OuterRef("pk"))
    return Q(Exists(grant_inside)) | under_q(paths, "home_area__path")


def people_in_scope(user, permission: str = "party_orgs.change") -> QuerySet:
    """The users an actor may name as a secretary: people with a grant or a home inside their scope."""
    return User.objects.filter(people_in_paths_q(scope_paths(user, permission)))


def secretary_candidates(area: Area, include_pk: int | None = None) -> QuerySet:
    """Users who could be secretary of an organization on `area`: members, workers and officials holding a
    role in the area's subtree (plus `include_pk`, the current secretary). Ordered by name."""
    holders = RoleGrant.objects.filter(under_q(area.path, "area__path")).exclude(role=Role.RESIDENT)
    q = Q(pk__in=holders.values("user_id"))
    if include_pk:
        q |= Q(pk=include_pk)
    return User.objects.filter(q, is_active=True).order_by("full_name", "username")


def parent_org_candidates(area: Area, user, permission: str = "party_orgs.change") -> QuerySet[PartyOrg]:
    """Live organizations that could be the parent of an organization on `area`: those on `area` or one of
    its ancestors, inside the user's scope."""
    scope = scope_paths(user, permission)
    if not scope:
        return PartyOrg.objects.none()
    return (
        PartyOrg.objects.filter(under_q(scope), area__path__in=ancestor_paths(area.path), retired=False)
        .select_related("area")
        .order_by("area__path", "kind", "name")
    )


def move_candidates(area: Area, user, query: str = "", limit: int = 20) -> QuerySet[Area]:
    """Areas `area` may be moved under by `user`: live, in the user's change scope, of a higher level,
    not `area` itself nor inside its subtree, not its current parent. `query` matches name or code."""
    paths = scope_paths(user, "areas.change")
    if not paths:
        return Area.objects.none()
    qs = (
        Area.objects.filter(under_q(paths, "path"), retired=False, level__lt=area.level)
        .exclude(under_q(area.path, "path"))
        .exclude(path=area.path[: (area.depth - 1) * area.steplen])
        .order_by("path")
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__startswith=query))
    return qs[:limit] if limit else qs


def search_areas(user, query: str, permission: str = "areas.view", limit: int = 50) -> list[Area]:
    """Areas in the user's scope whose name contains, or code starts with, `query`."""
    paths = scope_paths(user, permission)
    if not paths or not query:
        return []
    return list(
        Area.objects.filter(under_q(paths, "path"))
        .filter(Q(name__icontains=query) | Q(code__startswith=query))
        .order_by("retired", "depth", "path")[:limit]
    )


PATH_SEPARATOR = " › "


def with_path_labels(areas, levels: int = 3) -> list[Area]:
    """Each area with `path_label`: its name after those of its nearest ancestors, `levels` names in all
    and the root (the city) left out below it — "东城街道 › 东大街社区 › 第一网格" — so that fifty 第一网格
    can be told apart. One query for all of them, whatever their number."""
    areas = [area for area in areas if area is not None]
    wanted = {p for a in areas for p in ancestor_paths(a.path, include_self=False) if len(p) > a.steplen}
    names = dict(Area.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    for area in areas:
        above = [
            names.get(p, "") for p in ancestor_paths(area.path, include_self=False) if len(p) > area.steplen
        ]
        area.path_label = PATH_SEPARATOR.join([*[n for n in above if n], area.name][-levels:])
    return areas
