"""Self-governance's home blocks (grassroots/portal/homes.py): a resident's 议事协商 (what awaits my vote,
comment or rating, my community's matters under way, 提意见 / 随手拍), and the field worker's 随手拍 (a quick
report, or what a resident said on the rounds). Bounded queries: at most a dozen, whatever the rows."""

from __future__ import annotations

from grassroots.access.scoping import has_perm
from grassroots.portal.homes import GRID, OFFICIAL, RESIDENT, register_block
from grassroots.selfgov import selectors, selectors_awaiting


def resident_block(request):
    user = request.user
    community = selectors.home_community(user)
    if community is None:
        return None
    awaiting = selectors_awaiting.awaiting_me(user, limit=10)  # the page's and the API's read
    return {
        "conventions_to_vote": awaiting.conventions_to_vote,
        "to_sign": awaiting.to_sign,
        "community": community,
        "matters": awaiting.matters[:3],
        "to_vote": awaiting.to_vote,
        "to_comment": awaiting.to_comment,
        "to_rate": awaiting.to_rate,
        "can_submit": user.identity_verified,
    }


def quick_report_block(request):
    if not has_perm(request.user, "selfgov.record"):
        return None
    return {"can_record": True}


def overdue_follow_ups_block(request):
    """On the console of those who lead negotiations: the agreements' follow-up items past their due date (by
    the clock's today), only when there are some. Two queries."""
    from grassroots.selfgov.selectors_negotiations import MANAGE, overdue_follow_ups

    if not has_perm(request.user, MANAGE):
        return None
    items = overdue_follow_ups(request.user)
    rows = list(items[:5])
    if not rows:
        return None
    return {"items": rows, "count": len(rows) if len(rows) < 5 else items.count()}


def register_blocks() -> None:
    register_block(
        "negotiations_overdue",
        template="selfgov/blocks/negotiations_overdue.html",
        data=overdue_follow_ups_block,
        homes={OFFICIAL},
        order=14,
    )
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
