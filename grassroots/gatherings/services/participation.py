"""Invitations, sign-up, check-in and attendance. Keyword-only and atomic. A change of a person's attendance
sends `signals.attendance_recorded` once, after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from grassroots.accounts.models import User
from grassroots.gatherings import selectors
from grassroots.gatherings.kinds import exclusive_codes
from grassroots.gatherings.models import (
    CHECK_IN_EARLY,
    CHECK_OUT_LATE,
    Gathering,
    Guest,
    Participant,
    Status,
    Visibility,
)
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
    if gathering.kind in exclusive_codes():
        _refuse_overlap(user, gathering)
    participant = participant or Participant(gathering=gathering, user=user)
    participant.signed_up_at = now
    participant.save()
    return participant


def _refuse_overlap(user, gathering: Gathering) -> None:
    """A person holds one sign-up of the exclusive kinds (volunteer service) at a time. The person's row is
    locked after the gathering's, so two sign-ups of one person for two overlapping gatherings, each
    holding its own gathering's lock, are taken one after the other and the second sees the first."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    clash = (
        Participant.objects.filter(
            user=user,
            signed_up_at__isnull=False,
            gathering__kind__in=exclusive_codes(),
            gathering__starts_at__lt=gathering.ends_at,
            gathering__ends_at__gt=gathering.starts_at,
        )
        .exclude(gathering=gathering)
        .exclude(gathering__status=Status.CANCELLED)
        .select_related("gathering")
        .order_by("gathering__starts_at")
        .first()
    )
    if clash is not None:
        other = clash.gathering
        raise ValidationError(
            _("您已报名同一时段的“%(title)s”（%(starts)s 至 %(ends)s），不能重复报名。")
            % {
                "title": other.title,
                "starts": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                "ends": timezone.localtime(other.ends_at).strftime("%H:%M"),
            },
            code="overlap",
        )


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


def check_in(*, user, gathering: Gathering, now: datetime | None = None) -> Participant:
    """A person checks in themselves, from 30 minutes before the start until the end. Not for the kinds whose
    check-in takes the code shown on site (`authorized.check_in_with_code`, through the part keeping it)."""
    if gathering.needs_check_in_code:
        raise ValidationError(_("本活动请输入现场公布的签到码签到。"), code="code_required")
    return authorized.self_check_in(user=user, gathering=gathering, now=now)


@transaction.atomic
def check_out(*, user, gathering: Gathering, now: datetime | None = None) -> Participant:
    """A person who checked in checks out themselves, until two hours after the end. Their time there
    (check-in to check-out) is what volunteer service counts as hours."""
    now = now or timezone.now()
    _require_visible(user, gathering)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    participant = gathering.participants.filter(user=user).first()
    if participant is None or participant.checked_in_at is None:
        raise ValidationError(_("您尚未签到，不能签退。"), code="not_checked_in")
    if participant.checked_out_at is not None:
        raise ValidationError(_("您已签退。"), code="already")
    if now > gathering.ends_at + CHECK_OUT_LATE or now <= participant.checked_in_at:
        raise ValidationError(_("不在签退时间内（签到后至结束后 2 小时）。"), code="closed")
    participant.checked_out_at = now
    participant.save(update_fields=["checked_out_at"])
    return participant


@transaction.atomic
def record_times(
    *,
    actor,
    gathering: Gathering,
    person,
    checked_in_at: datetime,
    checked_out_at: datetime | None = None,
    now: datetime | None = None,
) -> Participant:
    """The organizer records (or corrects) when a person on the list arrived and left; they are then
    present. Both times lie between 30 minutes before the start and two hours after the end, and not in
    the future; the check-out after the check-in."""
    now = now or timezone.now()
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    require_started(gathering, now)
    participant = gathering.participants.filter(user=person).select_related("user").first()
    if participant is None:
        raise ValidationError(_("%(name)s 不在本会议活动的参会名单中。") % {"name": person}, code="unknown")
    earliest, latest = gathering.starts_at - CHECK_IN_EARLY, min(now, gathering.ends_at + CHECK_OUT_LATE)
    errors: dict[str, str] = {}
    if checked_in_at is None:
        errors["checked_in_at"] = _("请填写签到时间。")
    elif not earliest <= checked_in_at <= latest:
        errors["checked_in_at"] = _("签到时间应在开始前 30 分钟至结束后 2 小时之间，且不晚于现在。")
    if checked_out_at is not None:
        if not earliest <= checked_out_at <= latest:
            errors["checked_out_at"] = _("签退时间应在开始前 30 分钟至结束后 2 小时之间，且不晚于现在。")
        elif checked_in_at is not None and checked_out_at <= checked_in_at:
            errors["checked_out_at"] = _("签退时间必须晚于签到时间。")
    if errors:
        raise ValidationError(errors)
    participant.gathering = gathering
    participant.checked_in_at = checked_in_at
    participant.checked_out_at = checked_out_at
    if not set_attendance(participant, present=True, reason="", by=actor, now=now):
        participant.save(update_fields=["checked_in_at", "checked_out_at"])
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
def add_guest(*, actor, gathering: Gathering, name: str, role: str = "", organization: str = "") -> Guest:
    """List a participant without an account (an organization, or a named person with their organization) on
    a gathering: no sign-up, no check-in, not counted in attendance."""
    require_manage(actor, gathering.area)
    gathering = lock(gathering)
    require_not_cancelled(gathering)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写参会单位或姓名。")})
    if len(name) > 100:
        raise ValidationError({"name": _("单位或姓名不能超过 100 个字。")})
    listed = ValidationError({"name": _("%(name)s 已在参会名单中。") % {"name": name}})
    if gathering.guests.filter(name=name).exists():  # the natural key (one_guest_per_name): a repeat
        raise listed
    try:
        with transaction.atomic():
            return Guest.objects.create(
                gathering=gathering,
                name=name,
                organization=(organization or "").strip()[:100],
                role=(role or "").strip()[:100],
                added_by=actor,
            )
    except IntegrityError as exc:
        raise listed from exc


@transaction.atomic
def remove_guest(*, actor, guest: Guest) -> None:
    """Take a participant without an account off the list (not on a cancelled gathering)."""
    require_manage(actor, guest.gathering.area)
    require_not_cancelled(lock(guest.gathering))
    guest.delete()
