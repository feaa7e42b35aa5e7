"""Self-governance's home blocks (grassroots/portal/homes.py): a resident's 议事协商 (what awaits my vote or
comment, my community's matters under way, 提意见 / 随手拍), and the field worker's 随手拍 (a quick report, or
what a resident said on the rounds). Bounded queries: at most five, whatever the rows."""

from __future__ import annotations

from grassroots.access.scoping import has_perm
from grassroots.portal.homes import GRID, RESIDENT, register_block
from grassroots.selfgov import selectors


def resident_block(request):
    user = request.user
    community = selectors.home_community(user)
    if community is None:
        return None
    active, to_vote, to_comment = selectors.awaiting(user, limit=10)
    return {
        "community": community,
        "matters": active[:3],
        "to_vote": to_vote,
        "to_comment": to_comment,
        "can_submit": user.identity_verified,
    }


def quick_report_block(request):
    if not has_perm(request.user, "selfgov.record"):
        return None
    return {"can_record": True}


def register_blocks() -> None:
    register_block(
        "quick_report",
        template="selfgov/blocks/quick_report.html",
        data=quick_report_block,
        homes={GRID},
        order=12,
    )
    register_block(
        "selfgov", template="selfgov/blocks/resident.html", data=resident_block, homes={RESIDENT}, order=15
    )
