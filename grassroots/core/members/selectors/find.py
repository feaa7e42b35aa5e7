"""Find (寻找): mobile and lost-contact members, oldest first, and their counts per child area."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from grassroots.areas.models import Area
from grassroots.core.members.models import ContactAttempt, Member, MemberStatus
from grassroots.core.members.selectors._precisions import in_area, members_in_scope

FIND_STATUSES = (MemberStatus.MOBILE, MemberStatus.LOST_CONTACT)


def find_list(user, status: str, area: Area | None = None) -> QuerySet[Member]:
    """Members of `status` (mobile or lost contact) in the user's scope (and `area`), the longest in that
    status first (status_changed_at)."""
    qs = in_area(members_in_scope(user), area).filter(status=status)
    return qs.select_related("branch", "branch__area").order_by("status_changed_at", "pk")


@dataclass(frozen=True)
class AreaCount:
    area: Area | None  # None: members of branches attached to the area itself
    mobile: int
    lost_contact: int

    @property
    def total(self) -> int:
        return self.mobile + self.lost_contact


def find_counts(user, area: Area) -> list[AreaCount]:
    """Mobile and lost-contact members under `area`, per child area (and the area's own branches), in one
    aggregate query grouped by the path prefix of the child, plus one query for the children's names."""
    prefix_len = len(area.path) + Area.steplen
    rows = (
        members_in_scope(user)
        .filter(branch__area__path__startswith=area.path, status__in=FIND_STATUSES)
        .annotate(prefix=Substr("branch__area__path", 1, prefix_len))
        .values("prefix")
        .annotate(
            mobile=Count("pk", filter=Q(status=MemberStatus.MOBILE)),
            lost=Count("pk", filter=Q(status=MemberStatus.LOST_CONTACT)),
        )
        .order_by()
    )
    counts = {row["prefix"]: (row["mobile"], row["lost"]) for row in rows}
    children = Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")
    result = [AreaCount(child, *counts.get(child.path, (0, 0))) for child in children]
    if area.path in counts:
        result.insert(0, AreaCount(None, *counts[area.path]))
    return result


def totals(counts: list[AreaCount]) -> AreaCount:
    return AreaCount(None, sum(c.mobile for c in counts), sum(c.lost_contact for c in counts))


def contact_attempts_of(member: Member, limit: int | None = None) -> QuerySet[ContactAttempt]:
    qs = member.contact_attempts.select_related("by").order_by("-attempted_on", "-pk")
    return qs[:limit] if limit else qs
