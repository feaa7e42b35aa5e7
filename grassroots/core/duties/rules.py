"""Who does a duty assignment and who checks it: declared once, used by the transitions, the worklists, the
pending lists and the reminders alike.

- The **doer** of an assignment holds a working role on the target area itself (a grant on that very area,
  not above it): the community's secretary and workers for a community, the street's officials for a street.
  A street official therefore does the street's own assignments but does not do its communities' work.
- The **checker** holds an official role on the issuing area itself (`task.area`): the city's officials check
  what the city issued, a street's officials what the street issued (e.g. the tasks it broke down).

A grant counts when it is live and, with a working area picked in the header switcher, compatible with it (it
covers the working area or lies inside it), like the scoping function's grants.
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.accounts.roles import Role
from grassroots.areas.subtree import nested

DOER_ROLES = frozenset(
    {
        Role.COMMUNITY_WORKER,
        Role.COMMUNITY_SECRETARY,
        Role.STREET_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.CITY_OFFICIAL,
    }
)
CHECKER_ROLES = frozenset({Role.STREET_OFFICIAL, Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL, Role.SYSTEM_ADMIN})


def acting_area_ids(user, roles) -> frozenset[int]:
    """The ids of the areas on which `user` holds one of `roles` directly (no query: grants are cached)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    active = getattr(user, "active_area_path", None)
    return frozenset(
        g.area_id
        for g in user.grants_cached()
        if g.role in roles and (not active or nested(active, g.area.path))
    )


class acting_on:
    """A workflow permission: the actor holds one of `roles` on the area the record names through `field`
    ("area" for the target, "task__area" for the issuer). `q(user)` is the same rule as a queryset filter."""

    def __init__(self, field: str, roles) -> None:
        self.field = field
        self.roles = frozenset(roles)

    def area_id(self, record) -> int | None:
        value = record
        *hops, last = self.field.split("__")
        for hop in hops:
            value = getattr(value, hop)
        return getattr(value, f"{last}_id")

    def __call__(self, record, user) -> bool:
        return self.area_id(record) in acting_area_ids(user, self.roles)

    def q(self, user, path_field: str | None = None) -> Q:
        ids = acting_area_ids(user, self.roles)
        return Q(**{f"{self.field}__in": sorted(ids)}) if ids else Q(pk__in=[])

    def __repr__(self) -> str:
        return f"acting_on({self.field!r})"


doer = acting_on("area", DOER_ROLES)
checker = acting_on("task__area", CHECKER_ROLES)
