"""Joint meetings' home blocks (grassroots/portal/homes.py): the host's action items awaiting verification
and the overdue ones of their scope (officials' console); a representative's own action items (public
home). One query each, whatever the rows."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from grassroots.access.scoping import has_perm, represented_partner_ids
from grassroots.cogov import selectors_meetings as selectors
from grassroots.cogov.models_meetings import MANAGE, VIEW, ActionItem, ActionState
from grassroots.portal.homes import OFFICIAL, RESIDENT, register_block

SHOWN = 5


def host_block(request):
    user = request.user
    if not has_perm(user, MANAGE):
        return None
    waiting = ActionItem.pending_q(user) & Q(state=ActionState.DONE)
    rows = list(
        selectors.visible_action_items(user)
        .filter(waiting | selectors.overdue_q())
        .order_by("due_on", "pk")[: 4 * SHOWN]
    )  # one query: both lists, the first few of each
    verify_rows = [r for r in rows if r.state == ActionState.DONE]
    overdue_rows = [r for r in rows if r.state == ActionState.OPEN]
    if not verify_rows and not overdue_rows:
        return None
    return {
        "to_verify": verify_rows[:SHOWN],
        "more_to_verify": len(verify_rows) > SHOWN,
        "overdue": overdue_rows[:SHOWN],
        "more_overdue": len(overdue_rows) > SHOWN,
    }


def representative_block(request):
    user = request.user
    ids = represented_partner_ids(user, VIEW)
    if not ids:
        return None
    rows = list(
        selectors.visible_action_items(user)
        .filter(owner_partner__in=ids, state__in=(ActionState.OPEN, ActionState.DONE))
        .order_by("due_on", "pk")[: SHOWN + 1]
    )
    if not rows:
        return None
    return {"items": rows[:SHOWN], "more": len(rows) > SHOWN, "today": timezone.localdate()}


def register_blocks() -> None:
    register_block(
        "cogov_actions",
        template="cogov/blocks/actions_host.html",
        data=host_block,
        homes={OFFICIAL},
        order=41,
    )
    register_block(
        "cogov_my_actions",
        template="cogov/blocks/actions_mine.html",
        data=representative_block,
        homes={RESIDENT},
        order=24,
    )
