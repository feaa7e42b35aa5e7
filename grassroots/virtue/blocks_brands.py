"""Home blocks of 一化 (grassroots/portal/homes.py): for residents and members the coming events near them
(education, brand activities, environmental actions); for workers the events to record attendance for. One
query each, whatever the rows."""

from __future__ import annotations

from grassroots.access.scoping import has_perm
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block
from grassroots.virtue import selectors_brands as selectors


def resident_block(request):
    if not has_perm(request.user, "gatherings.view"):
        return None
    return {"events": selectors.upcoming_events(request.user, limit=5)}


def worker_block(request):
    if not has_perm(request.user, "gatherings.manage"):
        return None
    rows = selectors.to_check_in(request.user, limit=6)
    return {"events": rows[:5], "more": len(rows) > 5}


def register_blocks() -> None:
    register_block(
        "virtue_events",
        template="virtue/blocks/events.html",
        data=resident_block,
        homes={RESIDENT},
        order=22,
    )
    register_block(
        "virtue_to_check_in",
        template="virtue/blocks/to_check_in.html",
        data=worker_block,
        homes={OFFICIAL},
        order=42,
    )
