"""What becomes of a departed member's platform account (docs/members.md "Accounts of departed members",
docs/decisions.md):

- died (已故) or left the Party (已出党: 退党, 除名, 开除党籍): the linked account is deactivated in the same
  transaction as the status step — no sign-in, its API tokens end (`User.save`), its sessions no longer
  authenticate; the link stays, so the record's history still names whose account it was. Someone who left
  the Party and lives in a community registers again as a resident: nothing of the Party record is then
  reachable through the old account. A system admin may reactivate it (a person kept in a working post);
- transferred to another branch of the platform (组织关系转接, `Transfer.receive`): the account is kept and
  the link follows the record to its new branch;
- transferred out of the platform (已转出, written by imports): the account is kept — the person is still a
  Party member, only their relation is kept elsewhere, and they may live here as a resident.

The change of `is_active` is in the audit trail's change log (accounts track it), with the actor who took
the step."""

from __future__ import annotations

from grassroots.core.members.models import Member, MemberStatus

# the statuses that end the member's account, and the ones that keep it (documented above)
CLOSES_ACCOUNT = frozenset({MemberStatus.DECEASED, MemberStatus.LEFT})
KEEPS_ACCOUNT = frozenset({MemberStatus.TRANSFERRED_OUT})


def close_account(member: Member, *, status: str) -> bool:
    """Deactivate the account linked to `member`, whose status becomes `status`, when that status ends it;
    True when an active account was deactivated. Called by the status steps 登记去世 and 登记出党 (inside
    their transaction: a refused or failed step deactivates nothing)."""
    if status not in CLOSES_ACCOUNT or member.user_id is None:
        return False
    user = member.user
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])  # ends the user's API tokens (accounts.models.User.save)
    return True
