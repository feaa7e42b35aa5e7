"""Who may take each step of the three forms, declared once (in the rules of `grassroots.access.rules`) and
used by the transitions, the pending lists, the services and the pages.

- The branch side (files plans, writes reports, records appraisals, acknowledges guidance): the branch's
  own secretary (`PartyOrg.secretary`), or a community worker or community secretary (or an administrator)
  on an area covering the branch.
- The organization above (writes guidance, approves or returns plans, accepts or returns reports): the
  secretary of an organization above the branch (its parent, or higher), or a street, county or city official
  (or an administrator) on an area covering the branch. Nobody reviews a form they filed themselves.
"""

from __future__ import annotations

from grassroots.access.rules import both, either, is_user, not_user, org_secretary, roles_on
from grassroots.accounts.roles import COMMUNITY_STAFF, SUPERVISORS, Role

BRANCH_ROLES = COMMUNITY_STAFF | {Role.SYSTEM_ADMIN}
REVIEWER_ROLES = SUPERVISORS


def branch_side(branch_field: str = "branch") -> either:
    return either(
        roles_on(f"{branch_field}__area__path", *BRANCH_ROLES),
        is_user(f"{branch_field}__secretary"),
    )


def above(branch_field: str = "branch") -> either:
    """Officials above the branch, or the secretary of an organization above it (not of the branch itself)."""
    return either(
        roles_on(f"{branch_field}__area__path", *REVIEWER_ROLES),
        both(org_secretary(branch_field), not_user(f"{branch_field}__secretary")),
    )


def reviewer(branch_field: str = "branch", filer_field: str = "filed_by") -> both:
    """The organization above, but never the person who filed or submitted the form (`filer_field`)."""
    return both(above(branch_field), not_user(filer_field))


class _BranchHolder:
    """Lets the rules answer for a branch itself (before any form exists)."""

    def __init__(self, branch) -> None:
        self.branch = branch
        self.branch_id = branch.pk


def may_act_for(user, branch) -> bool:
    """May `user` fill in forms for `branch` (the branch side)?"""
    return branch_side()(_BranchHolder(branch), user)


def may_review_for(user, branch) -> bool:
    """May `user` review the forms of `branch` (the organization above)?"""
    return above()(_BranchHolder(branch), user)
