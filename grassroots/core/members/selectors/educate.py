"""Educate (教育): each member's study hours this year and compliance, and each branch's compliance rate.
Required hours a year: `settings.MEMBERS_REQUIRED_STUDY_HOURS`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grassroots.areas.models import Area
from grassroots.core.members.filters import StudyRecordFilter
from grassroots.core.members.models import Member, StudyRecord
from grassroots.core.members.selectors._precisions import in_area, open_members, year_bounds

HOURS = DecimalField(max_digits=7, decimal_places=1)


def required_hours() -> Decimal:
    return Decimal(settings.MEMBERS_REQUIRED_STUDY_HOURS)


def hours_in_year(year: int, member_ref: str = "pk") -> Subquery:
    """The sum of a member's study hours in `year`, as a correlated subquery (uses the (member, studied_on)
    index)."""
    return hours_between(*year_bounds(year), member_ref)


def hours_between(first, last, member_ref: str = "pk") -> Subquery:
    """The sum of a member's study hours from `first` to `last` (both included), a correlated subquery."""
    return Subquery(
        StudyRecord.objects.filter(member=OuterRef(member_ref), studied_on__gte=first, studied_on__lte=last)
        .order_by()
        .values("member")
        .annotate(total=Sum("hours"))
        .values("total"),
        output_field=HOURS,
    )


def with_study_hours(queryset: QuerySet[Member], year: int) -> QuerySet[Member]:
    """Annotate `study_hours` (this year's total, 0 when none) and `study_ok` is computed in SQL filters as
    `study_hours__gte=required_hours()`."""
    return queryset.annotate(study_hours=Coalesce(hours_in_year(year), Value(Decimal(0)), output_field=HOURS))


def study_list(user, *, year: int, area: Area | None = None, branch_id=None, behind_only=False):
    """Open members in scope with their hours in `year`, the fewest hours first."""
    qs = with_study_hours(in_area(open_members(user), area), year)
    if branch_id:
        qs = qs.filter(branch_id=branch_id)
    if behind_only:
        qs = qs.filter(study_hours__lt=required_hours())
    return qs.select_related("branch").order_by("study_hours", "branch_id", "name", "pk")


@dataclass(frozen=True)
class BranchCompliance:
    branch_id: int
    name: str
    members: int
    compliant: int

    @property
    def rate(self) -> int:
        """Percent of the branch's open members with the required hours (0 when it has none)."""
        return round(100 * self.compliant / self.members) if self.members else 0


def branch_compliance(user, *, year: int, area: Area | None = None) -> QuerySet:
    """Per branch: open members and how many have the required hours in `year`; one aggregate query
    (rows are dicts: branch, branch__name, members, compliant; wrap with `as_compliance`)."""
    return (
        with_study_hours(in_area(open_members(user), area), year)
        .values("branch", "branch__name")
        .annotate(
            members=Count("pk"),
            compliant=Count("pk", filter=Q(study_hours__gte=required_hours())),
        )
        .order_by("branch__name", "branch")
    )


def as_compliance(rows) -> list[BranchCompliance]:
    return [BranchCompliance(r["branch"], r["branch__name"], r["members"], r["compliant"]) for r in rows]


def study_records_of(member: Member, year: int | None = None) -> QuerySet[StudyRecord]:
    """The member's study records (of a year), newest first: `StudyRecordFilter`, as /api/study-records/."""
    chosen = {"member": member.pk, "year": year}
    return StudyRecordFilter(chosen, queryset=StudyRecord.objects.all()).qs.order_by("-studied_on", "-pk")
