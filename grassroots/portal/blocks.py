"""The portal's own home blocks (the registry and the table of places: homes.py). Registered from
PortalConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from grassroots.access.scoping import has_perm, role_paths
from grassroots.accounts.models import User
from grassroots.accounts.roles import FIELD_WORKERS
from grassroots.accounts.selectors import VERIFY, pending_verifications
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.portal import selectors
from grassroots.portal.homes import GRID, OFFICIAL, register_block

TODO_PER_KIND = 5


def todo(request):
    """What waits for me (shown also when empty: "nothing waits" is news too)."""
    return {"groups": selectors.todo_groups(request.user, limit=TODO_PER_KIND)}


def _overview(request) -> selectors.Figures:
    """official_figures once per request (the figures and verification blocks share it)."""
    if not hasattr(request, "_home_overview"):
        request._home_overview = selectors.official_figures(request.user)
    return request._home_overview


def figures(request):
    key = selectors.key_figures(request.user)
    overview = _overview(request)
    if not key and overview.party_orgs_total is None and overview.residents_total is None:
        return None
    moments = [m for m in (overview.computed_at, *(a.computed_at for a in key)) if m is not None]
    return {"areas": key, "overview": overview, "computed_at": min(moments, default=None)}


@dataclass
class Verification:
    pending: int
    residents_total: int
    residents_verified: int

    @property
    def verified_percent(self) -> int:
        return round(100 * self.residents_verified / self.residents_total) if self.residents_total else 0


def verification(request):
    """待核验 = the requests waiting for a decision (accounts.selectors.pending_verifications, which the
    queue lists), beside the share of registered residents already verified."""
    user = request.user
    if not has_perm(user, VERIFY):
        return None
    overview = _overview(request)
    return Verification(
        pending=pending_verifications(user).count(),
        residents_total=overview.residents_total or 0,
        residents_verified=overview.residents_verified or 0,
    )


@dataclass
class GridLine:
    area: Area
    residents: int
    verified: int
    households: int


def my_grid(request):
    """The residents and households of the areas where the user is a field worker (their grids): two
    aggregate queries per area (at most three areas)."""
    from django.apps import apps

    paths = role_paths(request.user, FIELD_WORKERS)[:3]
    if not paths:
        return None
    household = apps.get_model("voting", "Household") if apps.is_installed("grassroots.voting") else None
    lines = []
    for area in Area.objects.filter(path__in=paths).order_by("path"):
        people = User.objects.filter(under_q(area.path, "home_area__path"), is_active=True).aggregate(
            n=Count("pk"), verified=Count("pk", filter=Q(verified_at__isnull=False))
        )
        homes = household.objects.filter(under_q(area.path)).count() if household else 0
        lines.append(GridLine(area, people["n"], people["verified"], homes))
    return {"lines": lines}


def notices(request):
    return {
        "notices": list(selectors.visible_notices(request.user)[:5]),
        "may_manage": has_perm(request.user, "notices.manage"),
    }


def register_portal_blocks() -> None:
    register_block("todo", template="portal/blocks/todo.html", data=todo, homes={OFFICIAL, GRID}, order=10)
    register_block("my_grid", template="portal/blocks/my_grid.html", data=my_grid, homes={GRID}, order=15)
    register_block("figures", template="portal/blocks/figures.html", data=figures, homes={OFFICIAL}, order=20)
    register_block(
        "verification",
        template="portal/blocks/verification.html",
        data=verification,
        homes={OFFICIAL, GRID},
        order=30,
    )
    register_block(
        "notices", template="portal/blocks/notices.html", data=notices, homes={OFFICIAL, GRID}, order=90
    )
