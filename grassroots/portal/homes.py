"""The home pages are made of blocks, and this is their one registry. Each part adds its block from its
`apps.py` (`ready()`), as navigation entries are added:

    from grassroots.portal.homes import OFFICIAL, register_block

    register_block(
        "funds",                                   # unique name
        template="admission/_home_funds.html",     # rendered with `data` (what `data()` returned)
        data=funds_figure,                         # data(request) -> anything, or None: not shown
        homes={OFFICIAL},                          # on which homes
        order=25,                                  # place on the page (lower first)
    )

Homes: OFFICIAL (the console of officials and community workers), GRID (grid workers, mediators and legal
workers: the field workers' home), RESIDENT (residents, Party members, partner representatives). The
blocks of the portal itself (what waits for the user, the area's dashboard, real-name verification, my
grid, my findings, notices) are registered in `grassroots/portal/blocks.py`; the places taken:

| order | block | homes |
| ---: | --- | --- |
| 10 | `todo` — what waits for me, grouped by kind | official, grid |
| 12 | `quick_report` — 走访随手记: record what a resident said on the rounds (selfgov) | grid |
| 13 | `lawgov_alerts` — disputes at risk (可能激化) or overdue in my subtree (lawgov/blocks.py) | official |
| 15 | `selfgov` — 议事协商: what awaits my vote or comment, my community's matters (selfgov) | resident |
| 15 | `my_grid` — residents and households of my grid | grid |
| 16 | `my_visits` — my visit log (gridwork/home.py) | grid |
| 17 | `lawgov_caseload` — a mediator's open and overdue cases, next sessions (lawgov) | grid |
| 17 | `lawgov_mine` — my disputes and my bookings at the legal service station (lawgov) | resident |
| 19 | `lawgov_station` — a legal worker's station: next sessions and bookings (lawgov) | grid |
| 18 | `lawgov_pairings` — my pairings as a cadre or a unit's representative (lawgov) | resident |
| 18 | `my_findings` — inspection findings I own (assessments/home.py) | grid |
| 20 | `figures` — my area's dashboard (grassroots/figures/panel.py), the figures' holders only | official |
| 30 | `verification` — 待核验 (one definition: accounts.selectors) | official, grid |
| 25 | `cogov_public` — 共建共治: a representative's partners, my volunteering (cogov) | resident |
| 35 | `voting_people` — households and representatives of my community, their term (voting) | official |
| 41 | `lawgov_pairings_console` — pairings in my scope, those idle this year (lawgov) | official |
| 40 | `cogov` — 共治: partners, agreements in force and expiring, volunteers (cogov/blocks.py) | official |
| 22 | `virtue_events` — the coming 一化 events near me (virtue/blocks_brands.py) | resident |
| 42 | `virtue_to_check_in` — 一化 events with attendance to record | official |
| 20 | `member_summary` — study hours, dues, next gathering (members/home.py) | resident |
| 90 | `notices` — latest notices | official, grid |

A block's `data` must cost a number of queries bounded by the code, not by the rows: the home page's query
count is pinned (tests/portal/test_home.py).

Blocks load on their own (`lazy`, the default; docs/decisions.md, "The home's blocks load on their own"):
the home page is sent with a placeholder per block, and the browser asks for each block at
`/home/blocks/<name>/` (htmx, `hx-trigger="load"`), so the page shows at once and each block follows when its
figures are counted, none waiting for the slowest. A block whose `data` returns None answers an empty
fragment, and its placeholder goes. Without JavaScript the placeholder links to the block as a page of its
own. `lazy=False` renders a block inside the page (for a block that costs nothing, or one the page's
scripts must find when the page loads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from grassroots.access.scoping import roles_of
from grassroots.accounts.roles import FIELD_WORKERS, PUBLIC

OFFICIAL = "official"
GRID = "grid"
RESIDENT = "resident"
HOMES = (OFFICIAL, GRID, RESIDENT)


@dataclass(frozen=True)
class HomeBlock:
    name: str
    template: str
    data: Callable[[Any], Any]
    homes: frozenset[str]
    order: int = 100
    lazy: bool = True
    roles: frozenset = frozenset()  # when given: only on the home of those holding one of them

    def is_for(self, held: set) -> bool:
        """Whether a user holding the roles `held` may be shown this block (`roles`: no query)."""
        return not self.roles or bool(self.roles & held)


@dataclass(frozen=True)
class ShownBlock:
    block: HomeBlock
    data: Any = None  # None for a lazy block on the home page: its data comes with its own request

    @property
    def lazy(self) -> bool:
        return self.block.lazy

    @property
    def template(self) -> str:
        return self.block.template

    @property
    def name(self) -> str:
        return self.block.name


_BLOCKS: dict[str, HomeBlock] = {}


def register_block(
    name: str,
    *,
    template: str,
    data: Callable[[Any], Any],
    homes: Iterable[str],
    order: int = 100,
    lazy: bool = True,
    roles: Iterable[str] = (),
) -> HomeBlock:
    """Add (or replace) the block `name`; `lazy` (the default): loaded after the page (see above); `roles`:
    only for those holding one of them (the block's own first test, asked before its placeholder is sent,
    so that a home does not ask for a block that can show nothing to the user: no query)."""
    homes = frozenset(homes)
    unknown = homes - set(HOMES)
    if unknown:
        raise ValueError(f"unknown home(s) {sorted(unknown)}: choose among {HOMES}")
    block = HomeBlock(
        name=name, template=template, data=data, homes=homes, order=order, lazy=lazy, roles=frozenset(roles)
    )
    _BLOCKS[name] = block
    return block


def unregister_block(name: str) -> None:
    _BLOCKS.pop(name, None)


def registered_blocks() -> list[HomeBlock]:
    return sorted(_BLOCKS.values(), key=lambda b: (b.order, b.name))


def home_of(user) -> str:
    """Which home the user gets: OFFICIAL with any working role beyond the field workers', GRID with field
    workers' roles only, RESIDENT with public roles only."""
    working = roles_of(user) - PUBLIC
    if not working:
        return RESIDENT
    if working <= FIELD_WORKERS:
        return GRID
    return OFFICIAL


def blocks_for(request, home: str) -> list[ShownBlock]:
    """The blocks of `home` for the home page, in order: each lazy block as its placeholder (its data is not
    computed here), each other block with its data when it has something to show for the request's user."""
    shown = []
    held = roles_of(request.user)
    for block in registered_blocks():
        if home not in block.homes or not block.is_for(held):
            continue
        if block.lazy:
            shown.append(ShownBlock(block))
            continue
        data = block.data(request)
        if data is not None:
            shown.append(ShownBlock(block, data))
    return shown


def block_for(request, name: str) -> ShownBlock | None:
    """The block `name` of the request's user's home with its data, None when it has nothing to show for
    them; Http404 when no such block is on their home (a resident asking for an official's block)."""
    from django.http import Http404

    block = _BLOCKS.get(name)
    if block is None or home_of(request.user) not in block.homes:
        raise Http404(name)
    if not block.is_for(roles_of(request.user)):
        return None
    data = block.data(request)
    return None if data is None else ShownBlock(block, data)
