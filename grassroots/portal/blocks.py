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
TODO_LINES = 8  # lines in all: the first kinds' items; every kind with its total (docs/decisions.md)


def todo(request):
    """What waits for me (shown also when empty: "nothing waits" is news too): every kind with its total and
    link, the items of the first kinds up to TODO_LINES in all."""
    return {"groups": selectors.todo_groups(request.user, limit=TODO_PER_KIND, lines=TODO_LINES)}


def figures(request):
    """The officials' home is their area's dashboard (docs/figures.md, docs/decisions.md): what asks for
    action, then every figure they may see for the top of their scope (the working area when one is picked),
    the key figure per child area (ranked; the map at the city) and its trend — `grassroots.figures.panel`,
    the page /dashboard/ reads the same, through the figure cache — then the assessments' rates that are no
    dashboard figure (`key_figures`). Those without the officials' figures (auditors): not shown."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from grassroots.figures import panel

    user = request.user
    try:
        selection = panel.select(user)
    except (PermissionDenied, Http404):
        return None
    data = panel.panel(user, selection)
    data["areas"] = selectors.key_figures(user, only_providers=True)
    moments = [m for m in (data["computed_at"], *(a.computed_at for a in data["areas"])) if m is not None]
    data["computed_at"] = min(moments, default=None)
    return data


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
    residents = selectors.residents_in_scope(user)
    return Verification(
        pending=pending_verifications(user).count(),
        residents_total=residents["total"],
        residents_verified=residents["verified"],
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
    # In the page (not lazy): its map and charts are drawn by the page's scripts as it loads, and its figures
    # come from the figure cache (HOME_FIGURES_CACHE_SECONDS), shared by every viewer of the area.
    register_block(
        "figures",
        template="portal/blocks/dashboard.html",
        data=figures,
        homes={OFFICIAL},
        order=20,
        lazy=False,
    )
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
