"""Who may take which step, declared once and used by the transitions, the pending lists, the services and
the pages alike. Each predicate is a callable `(record, user) -> bool` (what django-fsm expects) with a
`q(user)` giving the same rule as a queryset filter.

- `by_perm_at(path_field, permission)`: the user holds `permission` (through a role grant) on an area covering
  the area the record reaches through `path_field`. Reviews are organized by the level above the reporting
  organization (`reviewing_area`), findings are verified by the inspecting level (`inspection__by_area`).
- `by_user(field)`: the user the record names (the reporter, the finding's owner).
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.accounts.scoping import scope_paths
from grassroots.areas.subtree import lies_under, under_q
from grassroots.workflow.permissions import by_user

MANAGE = "assessments.manage"
VIEW = "assessments.view"


def _follow(record, lookup: str):
    value = record
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


class by_perm_at:
    """The user holds `permission` on an area covering `record.<path_field>` (a role grant; the header's
    working area narrows it, as everywhere)."""

    def __init__(self, path_field: str, permission: str = MANAGE) -> None:
        self.path_field = path_field
        self.permission = permission

    def __call__(self, record, user) -> bool:
        return lies_under(_follow(record, self.path_field), scope_paths(user, self.permission))

    def q(self, user) -> Q:
        return under_q(scope_paths(user, self.permission), self.path_field)

    def __repr__(self) -> str:
        return f"by_perm_at({self.path_field!r}, {self.permission!r})"


class user_is(by_user):
    """`by_user` with a queryset filter."""

    def q(self, user) -> Q:
        return Q(**{self.field: user}) if user is not None and user.is_authenticated else Q(pk__in=[])


# Work reports: the level above the reporting organization organizes the review and publishes it.
may_organize_review = by_perm_at("reviewing_area__path")
is_reporter = user_is("reporter")

# Findings: the owner rectifies; the inspecting level verifies or sends back.
is_owner = user_is("owner")
may_verify_finding = by_perm_at("inspection__by_area__path")
