"""Home blocks of points: a resident's balance with the way to the store (one query), and on the officials'
console the exchanges waiting to be picked up in the communities they run (one query)."""

from __future__ import annotations

from grassroots.access.scoping import has_perm
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block
from grassroots.virtue import selectors_points as selectors


def resident_block(request):
    return {"balance": selectors.balance(request.user)}


def pickup_block(request):
    if not has_perm(request.user, selectors.MANAGE):
        return None
    count = selectors.pickups(request.user).count()
    return {"count": count} if count else None


def register_blocks() -> None:
    register_block(
        "virtue_points",
        template="virtue/blocks/points.html",
        data=resident_block,
        homes={RESIDENT},
        order=45,
    )
    register_block(
        "virtue_pickups",
        template="virtue/blocks/pickups.html",
        data=pickup_block,
        homes={OFFICIAL},
        order=46,
    )
