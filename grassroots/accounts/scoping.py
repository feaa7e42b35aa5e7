"""The one scoping function. Every page, API endpoint, export and search asks here which records a user may
reach for a permission; anything outside answers 404.

A grant of a role on an area covers the area's subtree. When the user has picked a working area in the header
switcher (`user.active_area_path`, set by `CurrentAreaMiddleware`), only grants covering that area count.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from grassroots.accounts.roles import ROLE_PERMISSIONS, Role


def _live_grants(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    grants = user.grants_cached()
    active = getattr(user, "active_area_path", None)
    if active:
        narrowed = [g for g in grants if active.startswith(g.area.path) or g.area.path.startswith(active)]
        # A grant above the chosen working area is narrowed to that area.
        return [(g.role, max(g.area.path, active, key=len)) for g in narrowed]
    return [(g.role, g.area.path) for g in grants]


def scope_paths(user, permission: str) -> list[str]:
    """The area paths whose subtrees the user may reach for `permission` (minimal set, no nesting)."""
    paths = sorted({path for role, path in _live_grants(user) if permission in ROLE_PERMISSIONS[role]})
    minimal: list[str] = []
    for path in paths:
        if not minimal or not path.startswith(minimal[-1]):
            minimal.append(path)
    return minimal


def has_perm(user, permission: str, area=None) -> bool:
    """Does the user hold `permission` anywhere (or on an area covering `area`)?"""
    paths = scope_paths(user, permission)
    if area is None:
        return bool(paths)
    return any(area.path.startswith(p) for p in paths)


def scope_q(user, permission: str, path_field: str) -> Q:
    """A Q that keeps the rows whose area path lies in the user's scope for `permission`."""
    paths = scope_paths(user, permission)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def scoped(queryset: QuerySet, user, permission: str, path_field: str | None = None) -> QuerySet:
    """`queryset` cut down to the user's scope for `permission`. `path_field` defaults to the model's
    `scope_path` attribute (e.g. "area__path")."""
    field = path_field or queryset.model.scope_path
    return queryset.filter(scope_q(user, permission, field))


def get_scoped_or_404(queryset: QuerySet, user, permission: str, **lookup) -> Model:
    """Load one record the user may reach; a record outside the scope is indistinguishable from none."""
    try:
        return scoped(queryset, user, permission).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def roles_of(user) -> set[str]:
    return {role for role, _path in _live_grants(user)}


def is_resident_only(user) -> bool:
    return roles_of(user) <= {Role.RESIDENT}
