"""Find (寻找): mobile and lost-contact members, oldest first, and their counts per child area."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from grassroots.areas.models import Area
from grassroots.areas.rollup import per_child
from grassroots.core.members.filters import ContactAttemptFilter
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
    """Mobile and lost-contact members under `area`, per line of the roll-up (`grassroots.areas.rollup`):
    the area's own branches first (when they have any), then every child area. One aggregate query grouped
    by the path prefix of the child, plus one query for the children."""
    breakdown = per_child(
        members_in_scope(user).filter(status__in=FIND_STATUSES),
        area,
        path_field="branch__area__path",
        mobile=Count("pk", filter=Q(status=MemberStatus.MOBILE)),
        lost=Count("pk", filter=Q(status=MemberStatus.LOST_CONTACT)),
    )
    return [AreaCount(child, counts["mobile"], counts["lost"]) for child, counts in breakdown.lines()]


def totals(counts: list[AreaCount]) -> AreaCount:
    return AreaCount(None, sum(c.mobile for c in counts), sum(c.lost_contact for c in counts))


def contact_attempts_of(member: Member, limit: int | None = None) -> QuerySet[ContactAttempt]:
    """The member's contact attempts, newest first: `ContactAttemptFilter`, as /api/contact-attempts/."""
    attempts = ContactAttempt.objects.select_related("by")
    qs = ContactAttemptFilter({"member": member.pk}, queryset=attempts).qs.order_by("-attempted_on", "-pk")
    return qs[:limit] if limit else qs
