"""Granting and revoking roles.

The rule (issue 3, §3): a grantor may grant `role` on `area` only when they hold, on an area covering `area`,
a role that carries the permission "accounts.grant" AND whose rank (`roles.RANK`) is at or above the rank of
`role` — both from the same grant. Revoking asks the same of the grant being revoked, so nobody revokes a
grant ranked above their own. The working area picked in the header switcher narrows the grantor's grants
exactly as it narrows every scope (`scoping.live_grants`).

Pages and the API call these functions; they raise:
- `AreaOutOfScope` when the grantor holds "accounts.grant" on no area covering the target area (pages and
  the API answer 404: an area outside one's scope must look like no area at all);
- `GrantRefused` (a `ValidationError` with a Chinese message on the field that caused it) for every other
  refusal: escalation, granting oneself more, a retired area, a duplicate.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from grassroots.access.scoping import holds_every_area, live_grants, scope_q, scoped
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import RANK, ROLE_PERMISSIONS, Role
from grassroots.areas.models import Area
from grassroots.areas.subtree import lies_under

GRANT_PERMISSION = "accounts.grant"


class GrantRefused(ValidationError):
    """The grantor may not grant (or revoke) this role here. `message_dict` names the field; `reason` is one
    of "escalation", "self_escalation", "out_of_scope", "retired", "duplicate", "invalid"."""

    def __init__(self, field: str, message: str, reason: str):
        super().__init__({field: ValidationError(message, code=reason)})
        self.reason = reason
        self.message_text = message

    @property
    def is_escalation(self) -> bool:
        return self.reason in {"escalation", "self_escalation"}


class AreaOutOfScope(GrantRefused):
    """The target area lies outside every area on which the grantor may grant: answer 404."""


# --- the rule -------------------------------------------------------------------------------------------


def grant_rank_on(user, area: Area) -> int | None:
    """The highest rank among the user's roles that carry "accounts.grant" on an area covering `area`;
    None when they may grant nothing there. No query: the user's grants are cached per request."""
    ranks = [
        RANK[role]
        for role, path in live_grants(user)
        if GRANT_PERMISSION in ROLE_PERMISSIONS[role] and lies_under(area.path, path)
    ]
    return max(ranks, default=None)


def max_grant_rank(user) -> int | None:
    """The highest rank the user may grant anywhere (None: they may grant nothing)."""
    ranks = [RANK[role] for role, _path in live_grants(user) if GRANT_PERMISSION in ROLE_PERMISSIONS[role]]
    return max(ranks, default=None)


def grantable_roles(user, area: Area | None = None) -> list[Role]:
    """The roles the user may grant on `area` (or on some area, when `area` is None), highest first."""
    rank = max_grant_rank(user) if area is None else grant_rank_on(user, area)
    if rank is None:
        return []
    return sorted((r for r in Role if RANK[r] <= rank), key=lambda r: -RANK[r])


def can_grant(user, role: str, area: Area) -> bool:
    rank = grant_rank_on(user, area)
    return rank is not None and RANK[role] <= rank


def can_revoke(user, grant: RoleGrant) -> bool:
    return can_grant(user, grant.role, grant.area)


def _check(grantor, role: str, area: Area, *, revoking: bool, grantee=None) -> None:
    rank = grant_rank_on(grantor, area)
    if rank is None:
        raise AreaOutOfScope("area", _("您无权在该区域授予或撤销角色。"), "out_of_scope")
    if RANK[role] <= rank:
        return
    label = Role(role).label
    if revoking:
        raise GrantRefused(
            "role", _("不能撤销高于本人级别的角色“%(role)s”。") % {"role": label}, "escalation"
        )
    if grantee is not None and grantee.pk == grantor.pk:
        raise GrantRefused("role", _("不能给自己授予高于本人的角色。"), "self_escalation")
    raise GrantRefused("role", _("不能授予高于本人级别的角色“%(role)s”。") % {"role": label}, "escalation")


# --- actions --------------------------------------------------------------------------------------------


def grant_role(*, grantor: User, user: User, role: str, area: Area) -> RoleGrant:
    """Give `user` the `role` on `area` (and its subtree). Raises `AreaOutOfScope` / `GrantRefused`."""
    if role not in Role.values:
        raise GrantRefused("role", _("未知角色。"), "invalid")
    with transaction.atomic():
        # Lock the target area row so a concurrent retire or move cannot slip between check and write.
        area = Area.objects.select_for_update().get(pk=area.pk)
        _check(grantor, role, area, revoking=False, grantee=user)
        if area.retired:
            raise GrantRefused("area", _("该区域已撤销，不能在此授予角色。"), "retired")
        if RoleGrant.objects.filter(user=user, role=role, area=area).exists():
            raise GrantRefused("role", _("该用户在此区域已拥有这个角色。"), "duplicate")
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(user=user, role=role, area=area, granted_by=grantor)
        except IntegrityError as exc:  # a concurrent identical grant won the race
            raise GrantRefused("role", _("该用户在此区域已拥有这个角色。"), "duplicate") from exc
    _forget_cached_grants(user, grantor)
    return grant


def revoke_grant(*, grantor: User, grant: RoleGrant) -> None:
    """Take a grant away. Nobody revokes a grant ranked above their own on an area covering it."""
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().select_related("area", "user").get(pk=grant.pk)
        _check(grantor, grant.role, grant.area, revoking=True)
        user = grant.user
        grant.delete()
    _forget_cached_grants(user, grantor)


def claim_new_root(*, operator: User, area: Area) -> RoleGrant:
    """A new root area (a new city) lies outside every grant, its creator's included: the operator who
    created it gets the system admin role on it, so that the city enters their scope (tree, imports, users)
    and they can grant its first officials on the grants pages. Called by the services that create roots,
    inside their transaction, after they have checked `scoping.is_operator`."""
    if not area.is_root():
        raise ValueError("claim_new_root: not a root area")
    grant, _created = RoleGrant.objects.get_or_create(
        user=operator, role=Role.SYSTEM_ADMIN, area=area, defaults={"granted_by": operator}
    )
    _forget_cached_grants(operator)
    return grant


def _forget_cached_grants(*users) -> None:
    for user in users:
        user.__dict__.pop("_grants_cache", None)


# --- reads shared by the pages and the API --------------------------------------------------------------


def users_in_scope(viewer, permission: str = "accounts.view") -> QuerySet[User]:
    """Users the viewer may see: anyone with a grant, or a home area, inside the viewer's scope for
    `permission`. One query (`users_in_scope_q`), no duplicates."""
    return User.objects.filter(users_in_scope_q(viewer, permission))


def users_in_scope_q(viewer, permission: str = "accounts.view") -> Q:
    """The condition of `users_in_scope` on a queryset of users: EXISTS a grant inside the scope, OR EXISTS
    the home area inside it. The home area as its own EXISTS, not a join: the same rows as a test of the
    joined path, but that join made PostgreSQL hash all 75,000 areas for every list and count (SQLite looks
    the area up per user either way; docs/performance.md, session 13). A viewer holding every root area
    (the city's officials, `holds_every_area`) sees everyone with a grant or a home area: every area lies
    under a root they hold, so neither test needs the areas at all."""
    grants = RoleGrant.objects.filter(user=OuterRef("pk"))
    if holds_every_area(viewer, permission):
        return Q(Exists(grants)) | Q(home_area__isnull=False)
    home = Area.objects.filter(pk=OuterRef("home_area_id"))
    return Q(Exists(grants.filter(scope_q(viewer, permission, "area__path")))) | Q(
        Exists(home.filter(scope_q(viewer, permission, "path")))
    )


def visible_grants(viewer, permission: str = "accounts.view") -> QuerySet[RoleGrant]:
    """Grants whose area lies in the viewer's scope (a grant elsewhere stays hidden)."""
    return scoped(RoleGrant.objects.select_related("area", "granted_by"), viewer, permission)


def prefetch_visible_grants(viewer) -> Prefetch:
    """For lists of users: each user's grants inside the viewer's scope as `user.visible_grants`."""
    return Prefetch(
        "grants",
        queryset=visible_grants(viewer).order_by("area__path", "role"),
        to_attr="visible_grants",
    )


def grantable_areas(viewer) -> QuerySet[Area]:
    """Live areas on which the viewer may grant something, shallowest first."""
    return scoped(Area.objects.filter(retired=False), viewer, GRANT_PERMISSION).order_by("depth", "path")
