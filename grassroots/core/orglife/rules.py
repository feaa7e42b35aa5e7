"""Who may take each step of the three forms, declared once and used by the transitions, the pending lists,
the services and the pages.

- The branch side (files plans, writes reports, records appraisals, acknowledges guidance): the branch's
  own secretary (`PartyOrg.secretary`), or a community worker or community secretary (or an administrator)
  on an area covering the branch.
- The organization above (writes guidance, approves or returns plans, accepts or returns reports): the
  secretary of an organization above the branch (its parent, or higher), or a street, county or city official
  (or an administrator) on an area covering the branch. Nobody reviews a form they filed themselves.
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.accounts.roles import Role
from grassroots.accounts.scoping import secretary_orgs
from grassroots.areas.subtree import lies_under
from grassroots.workflow.permissions import by_roles, role_paths

BRANCH_ROLES = (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY, Role.SYSTEM_ADMIN)
REVIEWER_ROLES = (Role.STREET_OFFICIAL, Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL, Role.SYSTEM_ADMIN)


def _follow(record, lookup: str):
    for part in lookup.split("__"):
        record = getattr(record, part)
    return record


class _roles_on_branch(by_roles):
    """`by_roles` reading the area of the branch the record names (`branch_field`)."""

    def __init__(self, branch_field: str, *roles: str) -> None:
        super().__init__(*roles)
        self.branch_field = branch_field

    def __call__(self, record, user) -> bool:
        return lies_under(_follow(record, self.branch_field).area.path, role_paths(user, self.roles))

    def q(self, user, path_field: str | None = None) -> Q:
        return super().q(user, f"{self.branch_field}__area__path")


class _own_secretary:
    """The user is the secretary of the branch itself."""

    def __init__(self, branch_field: str) -> None:
        self.branch_field = branch_field

    def __call__(self, record, user) -> bool:
        return user.is_authenticated and _follow(record, self.branch_field).secretary_id == user.pk

    def q(self, user, path_field: str | None = None) -> Q:
        return Q(**{f"{self.branch_field}__secretary": user}) if user.is_authenticated else Q(pk__in=[])


class _secretary_above:
    """The user is the secretary of an organization above the branch (not of the branch itself)."""

    def __init__(self, branch_field: str) -> None:
        self.branch_field = branch_field

    def __call__(self, record, user) -> bool:
        branch = _follow(record, self.branch_field)
        return branch.pk in secretary_orgs(user) and branch.secretary_id != user.pk

    def q(self, user, path_field: str | None = None) -> Q:
        ids = sorted(secretary_orgs(user))
        if not ids:
            return Q(pk__in=[])
        return Q(**{f"{self.branch_field}__in": ids}) & ~Q(**{f"{self.branch_field}__secretary": user})


class either:
    """Any of the parts; also the OR of their queryset filters (for pending lists)."""

    def __init__(self, *parts) -> None:
        self.parts = parts

    def __call__(self, record, user) -> bool:
        return user is not None and user.is_authenticated and any(part(record, user) for part in self.parts)

    def q(self, user, path_field: str | None = None) -> Q:
        q = Q(pk__in=[])
        for part in self.parts:
            q |= part.q(user, path_field)
        return q


def branch_side(branch_field: str = "branch") -> either:
    return either(_roles_on_branch(branch_field, *BRANCH_ROLES), _own_secretary(branch_field))


def above(branch_field: str = "branch") -> either:
    return either(_roles_on_branch(branch_field, *REVIEWER_ROLES), _secretary_above(branch_field))


class _BranchHolder:
    """Lets the predicates answer for a branch itself (before any form exists)."""

    def __init__(self, branch) -> None:
        self.branch = branch


def may_act_for(user, branch) -> bool:
    """May `user` fill in forms for `branch` (the branch side)?"""
    return branch_side()(_BranchHolder(branch), user)


def may_review_for(user, branch) -> bool:
    """May `user` review the forms of `branch` (the organization above)?"""
    return above()(_BranchHolder(branch), user)


class reviewer:
    """The organization above, but never the person who filed or submitted the form (`filer_field`)."""

    def __init__(self, branch_field: str = "branch", filer_field: str = "filed_by") -> None:
        self.above = above(branch_field)
        self.filer_field = filer_field

    def __call__(self, record, user) -> bool:
        return self.above(record, user) and getattr(record, f"{self.filer_field}_id") != user.pk

    def q(self, user, path_field: str | None = None) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        return self.above.q(user) & ~Q(**{self.filer_field: user})
