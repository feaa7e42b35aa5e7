"""Invitations, sign-up, check-in and attendance. Keyword-only and atomic. A change of a person's attendance
sends `signals.attendance_recorded` once, after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from grassroots.gatherings import selectors
from grassroots.gatherings.models import Gathering, Guest, Participant, Status, Visibility
from grassroots.gatherings.services import authorized
from grassroots.gatherings.services._common import (
    lock,
    notify_about,
    require_manage,
    require_not_cancelled,
    require_started,
)
from grassroots.gatherings.services.attendance import set_attendance


def _require_visible(user, gathering: Gathering) -> None:
    if not selectors.visible_to(user).filter(pk=gathering.pk).exists():
        raise PermissionDenied(_("您无权查看该会议活动。"))


@transaction.atomic
def invite(*, actor, gathering: Gathering, users: Iterable) -> list[Participant]:
    """Invite people; returns the newly invited ones (those already invited are left as they were)."""
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    if gathering.status != Status.PLANNED:
        raise ValidationError(_("只能邀请人员参加计划中的会议活动。"), code="not_planned")
    users = {user.pk: user for user in users}
    allowed = set(
        selectors.invitable_users(gathering).filter(pk__in=list(users)).values_list("pk", flat=True)
    )
    refused = [str(user) for pk, user in users.items() if pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "users": _("以下人员不在本会议活动所在区域，不能邀请：%(names)s")
                % {"names": "、".join(refused)}
            }
        )
    now = timezone.now()
    existing = {p.user_id: p for p in gathering.participants.filter(user_id__in=list(users))}
    invited: list[Participant] = []
    for pk, user in users.items():
        participant = existing.get(pk) or Participant(gathering=gathering, user=user)
        if participant.invited_at is not None:
            continue
        participant.invited_at = now
        participant.invited_by = actor
        participant.save()
        invited.append(participant)
    notify_about(
        gathering, recipients=[p.user_id for p in invited], verb=gettext_noop("邀请您参加：%(title)s")
    )
    return invited


@transaction.atomic
def sign_up(*, user, gathering: Gathering, now: datetime | None = None) -> Participant:
    """Take a seat. The gathering row is locked and the seats counted inside the same transaction, so two
    people can never both take the last seat."""
    now = now or timezone.now()
    _require_visible(user, gathering)
    gathering = lock(gathering)
    if gathering.status != Status.PLANNED:
        raise ValidationError(_("该会议活动不在报名阶段。"), code="not_planned")
    if not gathering.signup_open:
        raise ValidationError(_("该会议活动未开放报名。"), code="closed")
    if now > gathering.effective_signup_deadline:
        raise ValidationError(_("报名已截止。"), code="deadline")
    participant = gathering.participants.filter(user=user).first()
    if gathering.visibility == Visibility.INVITED and (participant is None or not participant.is_invited):
        raise ValidationError(_("该会议活动仅限受邀人员参加。"), code="not_invited")
    if participant is not None and participant.is_signed_up:
        raise ValidationError(_("您已报名。"), code="already")
    if gathering.capacity is not None:
        taken = gathering.participants.filter(signed_up_at__isnull=False).count()
        if taken >= gathering.capacity:
            raise ValidationError(
                _("名额已满（共 %(capacity)d 人），无法报名。") % {"capacity": gathering.capacity},
                code="full",
            )
    participant = participant or Participant(gathering=gathering, user=user)
    participant.signed_up_at = now
    participant.save()
    return participant


@transaction.atomic
def cancel_sign_up(*, user, gathering: Gathering, now: datetime | None = None) -> None:
    now = now or timezone.now()
    gathering = lock(gathering)
    participant = gathering.participants.filter(user=user, signed_up_at__isnull=False).first()
    if participant is None:
        raise ValidationError(_("您尚未报名。"), code="not_signed_up")
    if gathering.has_started(now):
        raise ValidationError(_("会议活动已开始，不能取消报名。"), code="started")
    if participant.is_invited or participant.present is not None:
        participant.signed_up_at = None
        participant.save(update_fields=["signed_up_at"])
    else:
        participant.delete()


@transaction.atomic
def check_in(*, user, gathering: Gathering, now: datetime | None = None) -> Participant:
    """A person checks in themselves, from 30 minutes before the start until the end."""
    now = now or timezone.now()
    _require_visible(user, gathering)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    if not gathering.check_in_is_open(now):
        raise ValidationError(_("不在签到时间内（开始前 30 分钟至结束）。"), code="closed")
    participant = gathering.participants.filter(user=user).first()
    if participant is None:
        if gathering.visibility == Visibility.INVITED:
            raise ValidationError(_("该会议活动仅限受邀人员参加。"), code="not_invited")
        participant = Participant(gathering=gathering, user=user)
    participant.gathering = gathering
    set_attendance(participant, present=True, reason="", by=user, now=now)
    return participant


@transaction.atomic
def record_attendance(
    *, actor, gathering: Gathering, person, present: bool, reason: str = "", now: datetime | None = None
) -> Participant:
    """The organizer marks an invited or signed-up person present, or absent with a reason. Absence (leave)
    may be recorded ahead; presence only once the gathering has started."""
    now = now or timezone.now()
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    if present:
        require_started(gathering, now)
    participant = gathering.participants.filter(user=person).select_related("user").first()
    if participant is None:
        raise ValidationError(_("%(name)s 不在本会议活动的参会名单中。") % {"name": person}, code="unknown")
    participant.gathering = gathering
    set_attendance(participant, present=present, reason=reason, by=actor, now=now)
    return participant


def record_attendance_sheet(
    *, actor, gathering: Gathering, marks: Iterable[tuple[object, bool, str]], now: datetime | None = None
) -> int:
    """Record several people of the list at once: `marks` is (person, present, reason). Returns how many
    changed. Either every mark is written or (on any error) none (see authorized.record_attendance_sheet)."""
    require_manage(actor, gathering.area)
    return authorized.record_attendance_sheet(actor=actor, gathering=gathering, marks=marks, now=now)


@transaction.atomic
def add_guest(*, actor, gathering: Gathering, name: str, role: str = "") -> Guest:
    """List a participant without an account (an organization or a named person) on a gathering."""
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写参会单位或姓名。")})
    if gathering.guests.filter(name=name).exists():
        raise ValidationError({"name": _("%(name)s 已在参会名单中。") % {"name": name}})
    return Guest.objects.create(
        gathering=gathering, name=name[:100], role=(role or "").strip()[:100], added_by=actor
    )


@transaction.atomic
def remove_guest(*, actor, guest: Guest) -> None:
    require_manage(actor, guest.gathering.area)
    guest.delete()
