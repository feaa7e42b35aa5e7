"""Recurring gatherings (docs/gatherings.md "Recurrence"): a series with its rule, its occurrences
materialised as gatherings ahead of time by the clock, a change of the series or of one occurrence, and
cancelling the series from a day.

Materialising is idempotent: the series' row is locked, the days already materialised (whatever became of
them: a cancelled occurrence is not made again) are skipped, and (series, occurrence_on) is unique in the
database, so repeated or concurrent runs never make a day twice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.gatherings.models import Gathering, Series, Status
from grassroots.gatherings.recurrence import Frequency, occurrence_dates
from grassroots.gatherings.services import authorized
from grassroots.gatherings.services._common import (
    common_errors,
    lock,
    refuse_own_form,
    require_manage,
    take_step,
)

# What a change of the series may change (the rule itself is not changed: cancel from a day and start a new
# series).
SERIES_FIELDS = (
    "title",
    "place",
    "description",
    "visibility",
    "capacity",
    "signup_open",
    "start_time",
    "duration_minutes",
)
RULE_FIELDS = (
    "frequency",
    "interval",
    "weekday",
    "week_of_month",
    "day_of_month",
    "starts_on",
    "until",
    "count",
)


def _validate(series: Series) -> None:
    errors = common_errors(series)
    if series.frequency not in Frequency.values:
        errors["frequency"] = _("请选择重复方式。")
    if series.frequency in (Frequency.WEEKLY, Frequency.MONTHLY_WEEKDAY) and series.weekday not in range(7):
        errors["weekday"] = _("请选择星期几。")
    if series.frequency == Frequency.MONTHLY_WEEKDAY and series.week_of_month not in (1, 2, 3, 4, -1):
        errors["week_of_month"] = _("请选择每月第几个星期几。")
    if series.frequency == Frequency.MONTHLY_DAY and not (
        series.day_of_month and 1 <= series.day_of_month <= 31
    ):
        errors["day_of_month"] = _("每月几日须在 1 至 31 之间（当月没有该日时在月末举行）。")
    if not series.interval or series.interval < 1 or series.interval > 12:
        errors["interval"] = _("间隔须在 1 至 12 之间。")
    if series.until and series.count:
        errors["count"] = _("截止日期和次数只能填写一项。")
    if series.until and series.until < series.starts_on:
        errors["until"] = _("截止日期不能早于起始日期。")
    if series.count is not None and not 1 <= series.count <= 500:
        errors["count"] = _("次数须在 1 至 500 之间。")
    if not series.duration_minutes or not 1 <= series.duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("时长须在 1 至 1440 分钟之间。")
    if errors:
        raise ValidationError(errors)


def _times(series: Series, day: date) -> tuple[datetime, datetime]:
    starts = datetime.combine(day, series.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return starts, starts + timedelta(minutes=series.duration_minutes)


def create_series(*, actor, area: Area, start_time: time, duration_minutes: int, **fields) -> Series:
    """A series in `area` (gatherings.manage there) and its occurrences up to the horizon. `fields`: kind,
    title, place, description, visibility, capacity, signup_open, party_org, frequency, interval, weekday,
    week_of_month, day_of_month, starts_on, until, count."""
    require_manage(actor, area)
    refuse_own_form(fields.get("kind", ""))
    return authorized_create_series(
        actor=actor, area=area, start_time=start_time, duration_minutes=duration_minutes, **fields
    )


@transaction.atomic
def authorized_create_series(*, actor, area: Area, **fields) -> Series:
    """As `create_series`, for another part's service that has decided who may act (a legal service
    station's workers)."""
    fields.setdefault("organizer", actor)
    fields["title"] = fields.get("title", "").strip()
    series = Series(area=area, created_by=actor, **fields)
    _validate(series)
    series.save()
    materialise(series)
    return series


def _due_days(series: Series, today: date) -> list[date]:
    through = today + timedelta(days=settings.GATHERINGS_SERIES_HORIZON_DAYS)
    if series.cancelled_from:
        through = min(through, series.cancelled_from - timedelta(days=1))
    if through < series.starts_on:
        return []
    return [day for day in occurrence_dates(**series.rule(), through=through) if day >= today]


@transaction.atomic
def materialise(series: Series) -> list[Gathering]:
    """Make the occurrences from today up to the horizon that do not exist yet (never one already made, even
    if it was cancelled or moved); returns the new ones."""
    series = (
        Series.objects.select_for_update(of=("self",)).select_related("area", "party_org").get(pk=series.pk)
    )
    now = timezone.now()
    days = _due_days(series, timezone.localdate(now))
    made = set(series.occurrences.filter(occurrence_on__in=days).values_list("occurrence_on", flat=True))
    created = []
    for day in days:
        if day in made:
            continue
        starts_at, ends_at = _times(series, day)
        if starts_at <= now:
            continue
        gathering = authorized.create_gathering(
            actor=series.created_by,
            organizer=series.organizer,
            kind=series.kind,
            title=series.title,
            area=series.area,
            party_org=series.party_org,
            starts_at=starts_at,
            ends_at=ends_at,
            place=series.place,
            description=series.description,
            visibility=series.visibility,
            capacity=series.capacity,
            signup_open=series.signup_open,
        )
        Gathering.objects.filter(pk=gathering.pk).update(series=series, occurrence_on=day)
        gathering.series, gathering.occurrence_on = series, day
        created.append(gathering)
    return created


def materialise_all() -> dict:
    """The clock's daily run: every series not cancelled for good, materialised to the horizon."""
    today = timezone.localdate()
    series_ids = list(
        Series.objects.exclude(cancelled_from__lte=today)
        .exclude(until__lt=today)
        .values_list("pk", flat=True)
    )
    made = 0
    for pk in series_ids:
        made += len(materialise(Series(pk=pk)))
    return {"series": len(series_ids), "created": made}


def _future_occurrences(series: Series, *, from_day: date | None = None):
    occurrences = series.occurrences.filter(status=Status.PLANNED, starts_at__gt=timezone.now())
    if from_day is not None:
        occurrences = occurrences.filter(occurrence_on__gte=from_day)
    return occurrences.order_by("starts_at")


@transaction.atomic
def update_series(*, actor, series: Series, **changes) -> Series:
    """Change what the series' occurrences are (SERIES_FIELDS): the series and its planned occurrences still
    to come that were not changed on their own; a capacity below an occurrence's sign-ups is refused."""
    unknown = set(changes) - set(SERIES_FIELDS)
    if unknown:
        raise TypeError(f"update_series() cannot change {sorted(unknown)}")
    require_manage(actor, series.area)
    series = (
        Series.objects.select_for_update(of=("self",)).select_related("area", "party_org").get(pk=series.pk)
    )
    for field, value in changes.items():
        setattr(series, field, value.strip() if field == "title" else value)
    _validate(series)
    series.save()
    for occurrence in _future_occurrences(series).filter(series_edited=False):
        occurrence = lock(occurrence)
        starts_at, ends_at = _times(series, occurrence.occurrence_on)
        if series.capacity is not None:
            taken = occurrence.participants.filter(signed_up_at__isnull=False).count()
            if series.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _("%(day)s 的活动已有 %(count)d 人报名，名额不能少于此数。")
                        % {"day": occurrence.occurrence_on.isoformat(), "count": taken}
                    }
                )
        for field in ("title", "place", "description", "visibility", "capacity", "signup_open"):
            setattr(occurrence, field, getattr(series, field))
        occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
        occurrence.save()
    return series


def cancel_series(*, actor, series: Series, from_day: date, reason: str = "") -> list[Gathering]:
    """Cancel the series from `from_day` (not before today): nothing on or after it is materialised again,
    and every planned occurrence from that day (still to come) is cancelled through the workflow step, its
    participants notified. Returns those cancelled."""
    require_manage(actor, series.area)
    with transaction.atomic():
        series = Series.objects.select_for_update().get(pk=series.pk)
        if from_day < timezone.localdate():
            raise ValidationError({"from_day": _("取消日期不能早于今天。")})
        if series.cancelled_from and series.cancelled_from <= from_day:
            raise ValidationError(
                {"from_day": _("该周期性活动已自 %(day)s 起取消。") % {"day": series.cancelled_from}}
            )
        series.cancelled_from = from_day
        series.cancel_reason = reason.strip()[:200]
        series.save(update_fields=["cancelled_from", "cancel_reason"])
        cancelled = []
        for occurrence in _future_occurrences(series, from_day=from_day):
            cancelled.append(
                take_step(
                    occurrence, "cancel", actor=actor, comment=series.cancel_reason or _("周期性活动已取消")
                )
            )
    return cancelled
