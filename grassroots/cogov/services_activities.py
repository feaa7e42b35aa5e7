"""Volunteer activities (docs/cogov.md, 志愿活动): the steps on a gathering of the kind `volunteer_service`.
Sign-up, its capacity and the refusal of double booking, check-in and check-out are the gatherings
mechanism's (grassroots.gatherings.services); this module adds who may take part (an active volunteer) and
the hours: confirmed by the organizer, credited once (`ServiceHours`) to the volunteer's `hours` and, for a
Party member, to their service record and their dual registration's `service_hours`; reversed with a reason.
Keyword-only; refusals are ValidationErrors in Chinese (keyed by field where a field is at fault)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cogov.models import ServiceHours, Volunteer
from grassroots.core.members.models import Member, Registration, RegistrationState
from grassroots.gatherings import selectors as gathering_selectors
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Gathering, Status

ACTIVITY_KIND = "volunteer_service"


def _require_activity(gathering: Gathering) -> None:
    if gathering.kind != ACTIVITY_KIND:
        raise ValidationError(_("这不是志愿活动。"), code="not_activity")


def _require_manage(actor, gathering: Gathering) -> None:
    if not gathering_selectors.can_manage(actor, gathering):
        raise PermissionDenied(_("您无权组织或管理该区域的会议活动。"))


def join_activity(*, user, gathering: Gathering, now: datetime | None = None):
    """An active volunteer signs up (capacity and double booking: gatherings.sign_up, under locks)."""
    _require_activity(gathering)
    if not Volunteer.objects.filter(user=user, active=True).exists():
        raise ValidationError(_("请先登记成为志愿者，再报名志愿活动。"), code="not_volunteer")
    return gatherings.sign_up(user=user, gathering=gathering, now=now)


def leave_activity(*, user, gathering: Gathering, now: datetime | None = None) -> None:
    _require_activity(gathering)
    gatherings.cancel_sign_up(user=user, gathering=gathering, now=now)


def check_in(*, user, gathering: Gathering, now: datetime | None = None):
    """The volunteer checks in themselves (30 minutes before the start until the end)."""
    _require_activity(gathering)
    return gatherings.check_in(user=user, gathering=gathering, now=now)


def check_out(*, user, gathering: Gathering, now: datetime | None = None):
    """The volunteer checks out themselves (after checking in, until two hours after the end)."""
    _require_activity(gathering)
    return gatherings.check_out(user=user, gathering=gathering, now=now)


def record_times(
    *,
    actor,
    gathering: Gathering,
    person,
    checked_in_at: datetime | None,
    checked_out_at: datetime | None = None,
    now: datetime | None = None,
):
    """The organizer records or corrects a participant's check-in and check-out. Refused once their hours
    are credited: reverse the credit (with a reason) first."""
    _require_activity(gathering)
    _require_manage(actor, gathering)
    if ServiceHours.objects.filter(
        gathering=gathering, participant__user=person, reversed_at__isnull=True
    ).exists():
        raise ValidationError(
            _("该志愿者的服务时长已确认；如需更正，请先撤销已确认的时长。"), code="credited"
        )
    return gatherings.record_times(
        actor=actor,
        gathering=gathering,
        person=person,
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        now=now,
    )


@dataclass
class Confirmation:
    credited: list[ServiceHours] = field(default_factory=list)
    # participants not credited, with why: (name, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((c.hours for c in self.credited), Decimal(0))


@transaction.atomic
def confirm_hours(*, actor, gathering: Gathering, now: datetime | None = None) -> Confirmation:
    """The organizer confirms the hours of an ended activity: each participant with a check-in and a
    check-out and no live credit gets one `ServiceHours` row, added to their volunteer record and, for a Party
    member, to their confirmed dual registration's `service_hours`. The gathering row is locked and the
    credit is unique per participation in the database, so confirming twice (or two organizers at once)
    credits once. A planned activity is marked held."""
    now = now or timezone.now()
    _require_activity(gathering)
    _require_manage(actor, gathering)
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    if gathering.status == Status.CANCELLED:
        raise ValidationError(_("该会议活动已取消。"), code="cancelled")
    if now < gathering.ends_at:
        raise ValidationError(_("志愿活动结束后才能确认服务时长。"), code="not_ended")
    if gathering.status == Status.PLANNED:
        gathering = gatherings.mark_held(actor=actor, gathering=gathering)
    result = Confirmation()
    credited = set(
        ServiceHours.objects.filter(gathering=gathering, reversed_at__isnull=True).values_list(
            "participant_id", flat=True
        )
    )
    participants = (
        gathering.participants.filter(user__isnull=False, checked_in_at__isnull=False)
        .exclude(pk__in=credited)
        .select_related("user")
        .order_by("pk")
    )
    people = [p.user_id for p in participants]
    volunteers = {v.user_id: v for v in Volunteer.objects.filter(user_id__in=people)}
    members = {m.user_id: m for m in Member.objects.filter(user_id__in=people)}
    registrations = {
        r.member_id: r
        for r in Registration.objects.filter(
            member__in=list(members.values()), state=RegistrationState.CONFIRMED
        )
    }
    for participant in participants:
        name = str(participant.user)
        hours = participant.attended_hours
        volunteer = volunteers.get(participant.user_id)
        if hours is None:
            result.skipped.append((name, _("未签退")))
            continue
        if hours <= 0:
            result.skipped.append((name, _("服务时长不足 0.1 小时")))
            continue
        if volunteer is None:
            result.skipped.append((name, _("未登记为志愿者")))
            continue
        member = members.get(participant.user_id)
        registration = registrations.get(member.pk) if member else None
        credit = ServiceHours.objects.create(
            participant=participant,
            gathering=gathering,
            volunteer=volunteer,
            area=gathering.area,
            member=member,
            registration=registration,
            hours=hours,
            checked_in_at=participant.checked_in_at,
            checked_out_at=participant.checked_out_at,
            confirmed_at=now,
            confirmed_by=actor,
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(hours=F("hours") + hours)
        if registration is not None:
            Registration.objects.filter(pk=registration.pk).update(service_hours=F("service_hours") + hours)
        result.credited.append(credit)
    return result


@transaction.atomic
def reverse_hours(*, actor, credit: ServiceHours, reason: str, now: datetime | None = None) -> ServiceHours:
    """Undo a credit (a correction): the reason kept, the hours taken back from the volunteer and the dual
    registration they went to. The participant's times may then be corrected and confirmed again."""
    now = now or timezone.now()
    _require_manage(actor, credit.gathering)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")})
    credit = ServiceHours.objects.select_for_update().get(pk=credit.pk)
    if credit.reversed_at is not None:
        raise ValidationError(_("该服务时长已撤销。"), code="reversed")
    credit.reversed_at, credit.reversed_by, credit.reverse_reason = now, actor, reason[:200]
    credit.save(update_fields=["reversed_at", "reversed_by", "reverse_reason"])
    Volunteer.objects.filter(pk=credit.volunteer_id).update(hours=F("hours") - credit.hours)
    if credit.registration_id is not None:
        Registration.objects.filter(pk=credit.registration_id).update(
            service_hours=F("service_hours") - credit.hours
        )
    return credit
