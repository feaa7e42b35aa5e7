"""Care (关爱): who needs care — aged 80 or over (by birth date), or tagged with a care tag (独居, 患病,
生活困难: `MemberTag.kind == "care"`) — derived in one query, whether they were visited this year, and the
Party-membership anniversaries (政治生日: the month of joining as probationary member)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.core.members.filters import CareVisitFilter
from grassroots.core.members.models import CareVisit, Member, MemberTag, TagKind
from grassroots.core.members.selectors._precisions import in_area, open_members, year_bounds

CARE_AGE = 80


def birth_cutoff(today: date, age: int = CARE_AGE) -> date:
    """Members born on or before this day are `age` or older on `today` (29 Feb → 28 Feb)."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:
        return today.replace(year=today.year - age, day=28)


def care_tag_exists() -> Exists:
    through = Member.tags.through
    return Exists(through.objects.filter(member_id=OuterRef("pk"), membertag__kind=TagKind.CARE))


def needs_care_q(today: date) -> Q:
    return Q(birth_date__lte=birth_cutoff(today)) | Q(care_tag_exists())


def visited_in_year(year: int) -> Exists:
    return visited_between(*year_bounds(year))


def visited_between(first: date, last: date) -> Exists:
    """Was the member visited from `first` to `last` (both included)?"""
    return Exists(
        CareVisit.objects.filter(member=OuterRef("pk"), visited_on__gte=first, visited_on__lte=last)
    )


def needing_care(queryset: QuerySet[Member], today: date | None = None) -> QuerySet[Member]:
    """The members of `queryset` who need care, annotated with `aged` (80 or over), `visited_this_year` and
    `last_visit_on`: one query."""
    today = today or timezone.localdate()
    last_visit = (
        CareVisit.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(last=Max("visited_on"))
        .values("last")
    )
    return queryset.filter(needs_care_q(today)).annotate(
        aged=Case(
            When(birth_date__lte=birth_cutoff(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        visited_this_year=visited_in_year(today.year),
        last_visit_on=Subquery(last_visit),
    )


def care_list(
    user, *, area: Area | None = None, unvisited_only: bool = False, today: date | None = None, tags=True
) -> QuerySet[Member]:
    """Open members in scope (and `area`: a community, or any area) who need care, those not visited this
    year first, then the oldest. With `tags`, each row's care tags are prefetched as `care_tags` (one
    more query a page)."""
    today = today or timezone.localdate()
    qs = needing_care(in_area(open_members(user), area), today)
    if unvisited_only:
        qs = qs.filter(visited_this_year=False)
    qs = qs.select_related("branch", "home_area").order_by("visited_this_year", "birth_date", "pk")
    if tags:
        qs = qs.prefetch_related(
            Prefetch("tags", queryset=MemberTag.objects.filter(kind=TagKind.CARE), to_attr="care_tags")
        )
    return qs


def needs_care(member: Member, today: date | None = None) -> bool:
    """For one member whose tags are prefetched or loaded (the member page)."""
    today = today or timezone.localdate()
    if member.birth_date <= birth_cutoff(today):
        return True
    return any(tag.kind == TagKind.CARE for tag in member.tags.all())


def anniversaries(
    user, *, month: int, area: Area | None = None, today: date | None = None
) -> QuerySet[Member]:
    """Open members in scope who joined the Party (as probationary members) in `month`, by day; each row's
    `party_years` is the number of years completed this year."""
    today = today or timezone.localdate()
    qs = in_area(open_members(user), area).filter(joined_probationary_on__month=month)
    return qs.select_related("branch").order_by("joined_probationary_on__day", "joined_probationary_on", "pk")


def party_years(member: Member, year: int) -> int:
    return year - member.joined_probationary_on.year


def visits_of(member: Member, limit: int | None = None) -> QuerySet[CareVisit]:
    """The member's care visits, newest first: `CareVisitFilter`, as /api/care-visits/."""
    visits = CareVisit.objects.select_related("visitor")
    qs = CareVisitFilter({"member": member.pk}, queryset=visits).qs.order_by("-visited_on", "-pk")
    return qs[:limit] if limit else qs
