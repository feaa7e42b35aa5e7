"""The organizer's home block of the volunteer activities: activities with hours to confirm on the officials'
console (one query, whatever the rows). A volunteer's coming activities are in the `cogov_public` block
(blocks.py), beside their volunteer record, which it reads already."""

from __future__ import annotations

from grassroots.access.scoping import has_perm
from grassroots.cogov import selectors_activities as selectors
from grassroots.portal.homes import OFFICIAL, register_block


def organizer_block(request):
    user = request.user
    if not has_perm(user, selectors.MANAGE):
        return None
    rows = list(selectors.to_confirm(user)[:4])
    return {"to_confirm": rows[:3], "more": len(rows) > 3}


def register_blocks() -> None:
    register_block(
        "cogov_hours_to_confirm",
        template="cogov/blocks/hours_to_confirm.html",
        data=organizer_block,
        homes={OFFICIAL},
        order=41,
    )
