"""Educate (教育): study records, entered by hand or added by themselves from attendance at gatherings.

A gathering of a *study kind* (the registry below: 工作会议, 讲座, 培训 to start with; issue 6 adds the kinds
of organizational life — 三会一课 — with `register_study_kind`) gives every Party member marked present one
study record: title and date of the gathering, hours from its duration rounded to the half hour (at least
0.5). Entered once (a unique constraint on member and gathering), removed when the member is marked absent
afterwards or the gathering is cancelled, updated when the gathering is edited. See receivers.py."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import Member, StudyRecord, StudySource
from grassroots.core.members.services._precisions import require_change, require_open

# --- the study kinds registry ----------------------------------------------------------------------------
_STUDY_KINDS: set[str] = {"meeting", "lecture", "training"}


def register_study_kind(code: str) -> None:
    """Count attendance at gatherings of kind `code` as study (call from your app's `ready()`)."""
    _STUDY_KINDS.add(code)


def study_kinds() -> frozenset[str]:
    return frozenset(_STUDY_KINDS)


def is_study_kind(code: str) -> bool:
    return code in _STUDY_KINDS


MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("999.5")


def gathering_hours(gathering) -> Decimal:
    """The gathering's duration in hours, rounded to the nearest half hour (halves up), at least 0.5."""
    seconds = Decimal(int((gathering.ends_at - gathering.starts_at).total_seconds()))
    halves = (seconds / 1800).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(max(halves / 2, MIN_HOURS), MAX_HOURS)


# --- manual records --------------------------------------------------------------------------------------
def add_study_record(
    *,
    actor,
    member: Member,
    title: str,
    studied_on: date,
    hours: Decimal,
    source: str = StudySource.MANUAL,
) -> StudyRecord:
    """A study record entered by hand (or by an import): title, date, hours (0.5 to 24 a record)."""
    require_change(actor, member)
    require_open(member)
    if source == StudySource.GATHERING:
        raise ValidationError({"source": _("参加会议活动的学时由考勤自动登记。")})
    errors: dict[str, str] = {}
    if studied_on > timezone.localdate():
        errors["studied_on"] = _("学习日期不能晚于今天。")
    hours = Decimal(hours)
    if hours <= 0 or hours > 24:
        errors["hours"] = _("学时应大于0且不超过24。")
    elif (hours * 2) % 1:
        errors["hours"] = _("学时以0.5为单位。")
    if not (title or "").strip():
        errors["title"] = _("请填写课程或会议名称。")
    if errors:
        raise ValidationError(errors)
    fields = {"member": member, "studied_on": studied_on, "title": title.strip(), "source": source}
    existing = StudyRecord.objects.filter(**fields).first()
    if existing is not None:
        return _the_same(existing, hours)
    try:
        with transaction.atomic():
            return StudyRecord.objects.create(**fields, hours=hours, recorded_by=actor)
    except IntegrityError:  # the same record posted at the same moment (a double click): theirs stands
        return _the_same(StudyRecord.objects.get(**fields), hours)


def _the_same(existing: StudyRecord, hours: Decimal) -> StudyRecord:
    """A record by hand is one course or meeting on one day (a unique constraint): the same post again gives
    the same record; different hours are refused."""
    if existing.hours == hours:
        return existing
    raise ValidationError(
        {
            "title": _(
                "该党员 %(day)s 已有“%(title)s”的学习记录（%(hours)s 学时）；如需更正，请先删除原记录。"
            )
            % {"day": existing.studied_on.isoformat(), "title": existing.title, "hours": existing.hours}
        }
    )


def delete_study_record(*, actor, record: StudyRecord) -> None:
    """Remove a record entered by hand; records from attendance follow the attendance sheet."""
    require_change(actor, record.member)
    if record.source == StudySource.GATHERING:
        raise ValidationError(_("参加会议活动的学时随考勤变化，请修改考勤。"), code="gathering")
    with transaction.atomic():
        record.delete()


# --- from attendance -------------------------------------------------------------------------------------
def sync_attendance(*, gathering, user, present: bool) -> StudyRecord | None:
    """Called for every change of a person's attendance (receivers.py). Present at a gathering of a study
    kind: the member's record for it (created once); absent: the record removed. Returns the record when
    present, else None. People without a member record, and other kinds, change nothing."""
    if not is_study_kind(gathering.kind):
        return None
    member = Member.objects.filter(user=user).only("pk").first()
    if member is None:
        return None
    with transaction.atomic():
        if not present or gathering.status == "cancelled":
            StudyRecord.objects.filter(member=member, gathering=gathering).delete()
            return None
        values = _values_from(gathering)
        try:
            with transaction.atomic():
                record, created = StudyRecord.objects.get_or_create(
                    member=member, gathering=gathering, defaults=values
                )
        except IntegrityError:  # two deliveries raced: the other one entered it
            return StudyRecord.objects.get(member=member, gathering=gathering)
        if not created:
            _update(record, values)
        return record


def sync_gathering(*, gathering) -> int:
    """Called when a gathering is saved: its study records follow its title, date and duration; a
    cancelled gathering, or one whose kind is no longer a study kind, keeps none. One query."""
    records = StudyRecord.objects.filter(gathering=gathering)
    if gathering.status == "cancelled" or not is_study_kind(gathering.kind):
        return records.delete()[0]
    return records.update(**_values_from(gathering))


def _values_from(gathering) -> dict:
    return {
        "title": gathering.title[:200],
        "studied_on": timezone.localdate(gathering.starts_at),
        "hours": gathering_hours(gathering),
        "source": StudySource.GATHERING,
    }


def _update(record: StudyRecord, values: dict) -> None:
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, values[name])
        record.save(update_fields=changed)


__all__ = [
    "add_study_record",
    "delete_study_record",
    "gathering_hours",
    "is_study_kind",
    "register_study_kind",
    "study_kinds",
    "sync_attendance",
    "sync_gathering",
]
