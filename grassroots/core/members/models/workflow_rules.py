"""Who may take the steps of the members' workflows (a member's status, transfers), and the checks they
need: declared once, used by the transitions, the pending lists and the services alike. See docs/members.md
(寻找, 管理).

Who: the roles that keep members' records (community worker and secretary, street, county and city officials,
admins) on an area covering the branch, or the secretary of the branch (or of an organization above it,
`PartyOrg.parent`) — the organization clause of `grassroots.access.scoping`.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.rules import either, org_secretary, roles_on
from grassroots.accounts.roles import OFFICIALS
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.permissions import Check

# The roles that keep members' records: the community's workers and secretary, and the officials above.
KEEPER_ROLES = OFFICIALS


def keepers_or_secretary(branch_field: str) -> either:
    """Keepers on an area covering the branch the record names through `branch_field`, or the secretary of
    that branch or of an organization above it."""
    return either(
        roles_on(f"{branch_field}__area__path", *KEEPER_ROLES),
        org_secretary(branch_field, "members.change"),
    )


# A member's status: keepers on an area covering the member's branch, or the branch's secretary.
may_change_status = keepers_or_secretary("branch")
# A transfer: the old branch's side and the new one's.
old_side = keepers_or_secretary("from_branch")
new_side = keepers_or_secretary("to_branch")


# --- checks of the member's status transitions ------------------------------------------------------------
def _mobile_location_recorded(member) -> bool:
    return bool((member.mobile_location or "").strip() or (member.mobile_work or "").strip())


def require_mobile_location(member) -> None:
    """Inside `mark_mobile`: the step has a form of its own (`form_url`), so its button shows whatever the
    fields hold; a post that skipped the form is refused here (and rolled back)."""
    if not _mobile_location_recorded(member):
        raise TransitionRefused(_("请填写流动党员现在的居住地或工作单位。"), code="condition")


def require_letter_number(transfer) -> None:
    """Inside `Transfer.release`, for the same reason: the letter number comes from the release form."""
    if not (transfer.letter_number or "").strip():
        raise TransitionRefused(_("请填写介绍信编号。"), code="condition")


def _reached_since_lost(member) -> bool:
    """A contact attempt that reached the member, made on or after the day they were marked lost."""
    contact_attempt = apps.get_model("members", "ContactAttempt")
    since = timezone.localdate(member.status_changed_at)
    return contact_attempt.objects.filter(member=member, reached=True, attempted_on__gte=since).exists()


reached_since_lost = Check(_reached_since_lost, _("请先登记一次联系上该党员的联系记录。"))


def is_receiving_transfer(member) -> bool:
    """True only inside `Transfer.receive`, which marks the member before moving it (so the member's page
    never offers this step as a button)."""
    return getattr(member, "_receiving_transfer", False)


def mobile_form_url(member) -> str:
    return reverse("members:mark_mobile", args=[member.pk])
