"""Membership dues (党费, part of manage 管理): the monthly amount from the bracket table, and payments.

The income itself is never stored: `set_dues` computes the amount from the income given (or from a fixed
category) and keeps only `Member.dues_monthly`. The standard table (seeded by migration 0003):

| monthly income after tax       | dues            |
| ------------------------------ | --------------- |
| up to 3,000 yuan (included)    | 0.5 %           |
| 3,000 – 5,000 (5,000 included) | 1 %             |
| 5,000 – 10,000 (included)      | 1.5 %           |
| above 10,000                   | 2 %             |
| students, the unemployed       | 0.20 yuan fixed |

Amounts are rounded to the fen (0.01 yuan), halves up."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import DuesBracket, DuesPayment, Member
from grassroots.core.members.services._precisions import require_change, require_open

FEN = Decimal("0.01")


def bracket_for_income(income: Decimal, brackets: list[DuesBracket] | None = None) -> DuesBracket:
    """The rate bracket whose (income_from, income_to] holds `income` (0 falls in the first one)."""
    income = Decimal(income)
    if income < 0:
        raise ValidationError({"income": _("月收入不能为负数。")})
    rows = brackets if brackets is not None else list(DuesBracket.objects.filter(fixed_amount__isnull=True))
    for bracket in sorted(rows, key=lambda b: b.income_from):
        if bracket.fixed_amount is not None:
            continue
        above_floor = income > bracket.income_from or (income == 0 and bracket.income_from == 0)
        if above_floor and (bracket.income_to is None or income <= bracket.income_to):
            return bracket
    raise ValidationError({"income": _("党费档次表中没有适用于该收入的档次，请先维护档次表。")})


def dues_amount(*, income: Decimal | None = None, bracket: DuesBracket | None = None) -> Decimal:
    """The monthly dues: `bracket`'s fixed amount when it has one, else the rate of the bracket that the
    income falls in."""
    if bracket is not None and bracket.fixed_amount is not None:
        return bracket.fixed_amount.quantize(FEN)
    if income is None:
        raise ValidationError({"income": _("请填写月收入，或选择固定金额的类别。")})
    rate_bracket = bracket_for_income(Decimal(income))
    return (Decimal(income) * rate_bracket.rate / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def set_dues(
    *, actor, member: Member, income: Decimal | None = None, bracket: DuesBracket | None = None
) -> Member:
    """Set the member's monthly dues from their income (not stored) or a fixed category."""
    require_change(actor, member)
    amount = dues_amount(income=income, bracket=bracket)
    with transaction.atomic():
        member.dues_monthly = amount
        member.save(update_fields=["dues_monthly", "updated_at"])
    return member


def record_dues_payment(
    *,
    actor,
    member: Member,
    year: int,
    month: int,
    amount: Decimal | None = None,
    paid_on: date | None = None,
) -> DuesPayment:
    """Record a month's dues (one payment per member and month; by default the member's monthly amount).
    Months may be paid ahead, up to December of next year."""
    require_change(actor, member)
    require_open(member)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not 1 <= int(month) <= 12:
        errors["month"] = _("月份应为1至12。")
    if not 2000 <= int(year) <= today.year + 1:
        errors["year"] = _("年度应在2000年至%(max)s年之间。") % {"max": today.year + 1}
    amount = Decimal(amount if amount is not None else member.dues_monthly)
    if amount < 0:
        errors["amount"] = _("金额不能为负数。")
    paid_on = paid_on or today
    if paid_on > today:
        errors["paid_on"] = _("缴纳日期不能晚于今天。")
    if not errors and DuesPayment.objects.filter(member=member, year=year, month=month).exists():
        errors["month"] = _("%(year)s年%(month)s月的党费已登记。") % {"year": year, "month": month}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return DuesPayment.objects.create(
                member=member,
                year=year,
                month=month,
                amount=amount.quantize(FEN),
                paid_on=paid_on,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"month": _("%(year)s年%(month)s月的党费已登记。") % {"year": year, "month": month}}
        ) from exc
