"""Recurrence rules of gathering series, read by dateutil.rrule (no date arithmetic of our own).

Three kinds of rule: weekly on a weekday (every `interval` weeks), monthly on the Nth weekday (the first
Tuesday; -1 is the last), and monthly on a day of the month. A day the month does not have (the 31st in
April, the 30th in February) falls on the month's last day: rrule is asked for the latest of the days from the
28th up to the day asked for (bysetpos=-1), so the 29th is 28 February in 2027 and 29 February in 2028.
The series ends on a date (`until`, inclusive), after a number of occurrences (`count`, from its first day),
or not at all."""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil import rrule
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("每周（指定星期几）")
    MONTHLY_WEEKDAY = "monthly_weekday", _("每月（第几个星期几）")
    MONTHLY_DAY = "monthly_day", _("每月（指定日期）")


WEEKDAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]
WEEK_OF_MONTH_CHOICES = [
    (1, _("第一个")),
    (2, _("第二个")),
    (3, _("第三个")),
    (4, _("第四个")),
    (-1, _("最后一个")),
]


def rule_kwargs(
    *, frequency: str, weekday: int | None, week_of_month: int | None, day_of_month: int | None, interval: int
) -> dict:
    """The rrule arguments of a rule (besides dtstart, until and count)."""
    if frequency == Frequency.WEEKLY:
        return {"freq": rrule.WEEKLY, "interval": interval, "byweekday": weekday}
    if frequency == Frequency.MONTHLY_WEEKDAY:
        return {
            "freq": rrule.MONTHLY,
            "interval": interval,
            "byweekday": rrule.weekday(weekday, week_of_month),
        }
    if day_of_month <= 28:
        return {"freq": rrule.MONTHLY, "interval": interval, "bymonthday": day_of_month}
    return {
        "freq": rrule.MONTHLY,
        "interval": interval,
        "bymonthday": tuple(range(28, day_of_month + 1)),
        "bysetpos": -1,
    }


def occurrence_dates(
    *,
    frequency: str,
    starts_on: date,
    weekday: int | None = None,
    week_of_month: int | None = None,
    day_of_month: int | None = None,
    interval: int = 1,
    until: date | None = None,
    count: int | None = None,
    through: date | None = None,
) -> list[date]:
    """The days of the rule from `starts_on`, up to `until` / `count`, and not after `through` (the
    horizon; required when the rule has no end)."""
    rule = rrule.rrule(
        dtstart=datetime.combine(starts_on, time()),
        until=datetime.combine(until, time()) if until else None,
        count=count,
        **rule_kwargs(
            frequency=frequency,
            weekday=weekday,
            week_of_month=week_of_month,
            day_of_month=day_of_month,
            interval=interval,
        ),
    )
    if through is None:
        if until is None and count is None:
            raise ValueError("an endless rule needs `through`")
        return [moment.date() for moment in rule]
    return [
        moment.date()
        for moment in rule.between(
            datetime.combine(starts_on, time()), datetime.combine(through, time()), inc=True
        )
    ]
