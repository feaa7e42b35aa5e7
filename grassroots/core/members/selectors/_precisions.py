"""What the selectors of the five precisions share: the members a user may see, the open records, and the
subtree filter of the list pages (the area itself comes from `access.scoping.area_from_request`)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.core.members.models import Member, MemberStatus

# Members whose record is open: everything but deceased, transferred out and left the Party.
OPEN_STATUSES = (MemberStatus.NORMAL, MemberStatus.MOBILE, MemberStatus.LOST_CONTACT, MemberStatus.FOUND)


def members_in_scope(user) -> QuerySet[Member]:
    """The members `user` may see (members.view on an area covering the branch, or the organization
    clause: the secretary of the branch or of an organization above it)."""
    return scoped(Member.objects.all(), user, "members.view")


def open_members(user) -> QuerySet[Member]:
    return members_in_scope(user).filter(status__in=OPEN_STATUSES)


def in_area(queryset: QuerySet[Member], area: Area | None, prefix: str = "") -> QuerySet:
    """Rows whose member's branch lies in `area`'s subtree (`prefix` is the lookup to the member, e.g.
    "member__")."""
    if area is None:
        return queryset
    return queryset.filter(under_q(area.path, f"{prefix}branch__area__path"))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
