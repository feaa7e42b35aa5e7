"""Dues (党费): months unpaid since the later of joining and January of this year, per member and per branch.
One query a page (the months are counted by a correlated subquery)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.utils import timezone

from grassroots.access.scoping import scope_q
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.members.filters import DuesPaymentFilter
from grassroots.core.members.models import DuesBracket, DuesPayment, Member
from grassroots.core.members.selectors._precisions import in_area, open_members


def with_arrears(queryset: QuerySet[Member], today: date | None = None) -> QuerySet[Member]:
    """Annotate `dues_start_month` (1, or the month of joining when it was this year; 13 when the member
    joins later), `dues_paid_months` (payments for the months from then to this month) and
    `arrears_months` (the months of that span without a payment, at least 0)."""
    today = today or timezone.localdate()
    start = Case(
        When(joined_probationary_on__gt=today, then=Value(13)),
        When(joined_probationary_on__gte=date(today.year, 1, 1), then=ExtractMonth("joined_probationary_on")),
        default=Value(1),
        output_field=IntegerField(),
    )
    paid = Subquery(
        DuesPayment.objects.filter(
            member=OuterRef("pk"),
            year=today.year,
            month__lte=today.month,
            month__gte=OuterRef("dues_start_month"),
        )
        .order_by()
        .values("member")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    return (
        queryset.annotate(dues_start_month=start)
        .annotate(dues_paid_months=Coalesce(paid, Value(0)))
        .annotate(
            arrears_months=Greatest(
                Value(today.month + 1) - F("dues_start_month") - F("dues_paid_months"),
                Value(0),
                output_field=IntegerField(),
            )
        )
    )


def arrears_list(user, *, branch_id=None, area: Area | None = None, today: date | None = None):
    """Open members in scope with at least one month unpaid this year, most months first."""
    qs = with_arrears(in_area(open_members(user), area), today)
    if branch_id:
        qs = qs.filter(branch_id=branch_id)
    return (
        qs.filter(arrears_months__gt=0)
        .select_related("branch")
        .order_by("-arrears_months", "branch__name", "name", "pk")
    )


def arrears_by_branch(user, *, area: Area | None = None, today: date | None = None) -> QuerySet:
    """Per branch with arrears: members in arrears and months owed in total (one aggregate query; dicts
    with branch, branch__name, members, months)."""
    return (
        with_arrears(in_area(open_members(user), area), today)
        .filter(arrears_months__gt=0)
        .values("branch", "branch__name")
        .annotate(members=Count("pk"), months=Sum("arrears_months"))
        .order_by("-members", "branch__name")
    )


def branches_in_scope(user) -> QuerySet[PartyOrg]:
    """The organizations whose members the user may see (for the branch filter)."""
    return PartyOrg.objects.filter(scope_q(user, "members.view", "area__path", "pk"), retired=False).order_by(
        "area__path", "name"
    )


def payments_of(member: Member, year: int) -> QuerySet[DuesPayment]:
    """The member's payments of a year by month: `DuesPaymentFilter`, as /api/dues-payments/."""
    chosen = {"member": member.pk, "year": year}
    return DuesPaymentFilter(chosen, queryset=DuesPayment.objects.all()).qs.order_by("month")


def brackets() -> QuerySet[DuesBracket]:
    return DuesBracket.objects.order_by("fixed_amount", "income_from")
