"""The members part's block on the home pages (grassroots/portal/homes.py): a Party member's summary —
this year's study hours against the requirement, the dues not yet paid, the next gathering — linking to 我的
(/members/mine/), where the details are. Residents who are no member see nothing (one query)."""

from __future__ import annotations

from grassroots.access.scoping import roles_of
from grassroots.accounts.roles import Role


def member_summary(request):
    from grassroots.core.members.selectors.records import member_of
    from grassroots.core.members.views.mine import summary_of

    user = request.user
    if Role.MEMBER not in roles_of(user):
        return None
    member = member_of(user)
    if member is None:
        return None
    return summary_of(member, user)


def register_home_blocks() -> None:
    from grassroots.portal.homes import RESIDENT, register_block

    register_block(
        "member_summary",
        template="members/_home_summary.html",
        data=member_summary,
        homes={RESIDENT},
        order=20,
        roles={Role.MEMBER},
    )
