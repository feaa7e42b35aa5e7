"""Actions of joint meetings and their follow-up: one function per action, keyword-only, atomic; refusals are
ValidationErrors keyed by field or PermissionDenied. The meeting is a gathering (kind `joint_meeting`),
created and moved through the gatherings mechanism's `authorized` entry once co-governance's own rule
(`cogov.manage` on the body's area) has admitted the actor; action items move on the workflow mechanism."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.models import Level
from grassroots.cogov import selectors_meetings as selectors
from grassroots.cogov.models import Partner
from grassroots.cogov.models_meetings import (
    MANAGE,
    ActionItem,
    ActionState,
    JointBody,
    JointMeeting,
    UnitAttendance,
)
from grassroots.gatherings.models import Decision, Gathering, Status, Visibility
from grassroots.gatherings.services import authorized
from grassroots.workflow.services import notify, start

KIND = "joint_meeting"
# An overdue action item is reminded again after this many days while it stays open.
REMIND_EVERY_DAYS = 7


def _require(actor, area) -> None:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(missing_permission_message(MANAGE, area))


def _members(actor, partners) -> list[Partner]:
    people = list(partners or [])
    if not people:
        return []
    allowed = set(
        selectors.member_candidates(actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    if any(p.pk not in allowed for p in people):
        raise ValidationError({"members": _("成员单位须是您可查看的、未退出的共建单位。")})
    return people


# --- bodies -------------------------------------------------------------------------------------------------
@transaction.atomic
def save_body(
    *, actor, body: JointBody | None = None, area=None, host=None, name: str = "", members=None, note=None
) -> JointBody:
    """Set up a street's or community's joint-meeting body (hosted by a Party organization of that area), or
    change its name, members and note."""
    record = body or JointBody(created_by=actor)
    if body is not None:
        _require(actor, body.area)
        area, host = body.area, host or body.host
    errors = {}
    if area is None or area.level not in (Level.STREET, Level.COMMUNITY) or area.retired:
        errors["area"] = _("联席会议设在街道或社区。")
    elif not has_perm(actor, MANAGE, area):
        raise PermissionDenied(missing_permission_message(MANAGE, area))
    if host is None or host.area_id != getattr(area, "pk", None) or host.retired:
        errors.setdefault("host", _("牵头党组织须是该街道（社区）的党组织。"))
    name = (name or record.name or "").strip()
    if not name:
        errors["name"] = _("请填写名称。")
    if errors:
        raise ValidationError(errors)
    people = _members(actor, members) if members is not None else None
    record.area, record.host, record.name = area, host, name
    if note is not None:
        record.note = note.strip()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("该区域已有同名的联席会议。")}) from exc
    if people is not None:
        record.members.set(people)
    return record


# --- meetings -----------------------------------------------------------------------------------------------
@transaction.atomic
def schedule_meeting(
    *,
    actor,
    body: JointBody,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    agenda: str = "",
    submission: str = "",
) -> JointMeeting:
    """A meeting of the body: a gathering of kind 联席会议 in the body's area, organized by its host, its
    agenda the gathering's description; the member units' representatives are told. `submission`: the
    form's token (the gathering's): the same form posted again gives the meeting it made, told once."""
    _require(actor, body.area)
    if not (agenda or "").strip():
        raise ValidationError({"agenda": _("请填写会议议程。")})
    gathering = authorized.create_gathering(
        actor=actor,
        kind=KIND,
        title=title,
        area=body.area,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=agenda.strip(),
        visibility=Visibility.INVITED,
        party_org=body.host,
        submission=submission,
    )
    made = JointMeeting.objects.filter(gathering=gathering).first()
    if made is not None:  # a repeat of the same form: the meeting it made
        return made
    meeting = JointMeeting.objects.create(body=body, gathering=gathering)
    reps = Partner.representatives.through.objects.filter(partner__in=body.members.all())
    notify(
        recipients=list(reps.values_list("user_id", flat=True)),
        verb=_("联席会议通知：%(title)s，%(when)s")
        % {"title": gathering.title, "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")},
        target=meeting,
        url=meeting.get_absolute_url(),
    )
    return meeting


def _live(meeting: JointMeeting) -> Gathering:
    if meeting.gathering.status == Status.CANCELLED:
        raise ValidationError({"__all__": _("会议已取消。")})
    return meeting.gathering


@transaction.atomic
def record_minutes(*, actor, meeting: JointMeeting, minutes: str) -> JointMeeting:
    _require(actor, meeting.body.area)
    _live(meeting)
    authorized.record_minutes(actor=actor, gathering=meeting.gathering, minutes=minutes)
    return meeting


def mark_held(*, actor, meeting: JointMeeting) -> JointMeeting:
    """planned → held (the gathering's step: refused before its start)."""
    _require(actor, meeting.body.area)
    authorized.mark_held(actor=actor, gathering=meeting.gathering)
    return meeting


@transaction.atomic
def record_attendance(*, actor, meeting: JointMeeting, rows) -> list[UnitAttendance]:
    """The member units' attendance: `rows` of (partner, present, attendee, note); a unit not a member of the
    body is refused, a row already there is changed."""
    _require(actor, meeting.body.area)
    gathering = _live(meeting)
    if not gathering.has_started():
        raise ValidationError({"__all__": _("会议尚未开始，不能登记出席。")})
    members = set(meeting.body.members.values_list("pk", flat=True))
    saved = []
    for partner, present, attendee, note in rows:
        if partner.pk not in members:
            raise ValidationError({"partner": _("“%(name)s”不是该联席会议的成员单位。") % {"name": partner}})
        row, _created = UnitAttendance.objects.update_or_create(
            meeting=meeting,
            partner=partner,
            defaults={
                "present": bool(present),
                "attendee": (attendee or "")[:100],
                "note": (note or "")[:200],
            },
        )
        saved.append(row)
    return saved


@transaction.atomic
def record_decision(
    *,
    actor,
    meeting: JointMeeting,
    text: str,
    due_on: date | None,
    owner_partner: Partner | None = None,
    owner_user=None,
) -> ActionItem:
    """A decision of the meeting: the gathering's decision and its action item (open), the owner told."""
    _require(actor, meeting.body.area)
    gathering = _live(meeting)
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("请填写决定事项。")
    if due_on is None:
        errors["due_on"] = _("请填写完成期限。")
    elif due_on < timezone.localdate(gathering.starts_at):
        errors["due_on"] = _("完成期限不能早于会议日期。")
    if owner_partner is None and owner_user is None:
        errors["owner_partner"] = _("请指定责任单位或责任人。")
    if owner_partner is not None and not meeting.body.members.filter(pk=owner_partner.pk).exists():
        errors["owner_partner"] = _("责任单位须是该联席会议的成员单位。")
    if (
        owner_user is not None
        and not selectors.owner_candidates(meeting.body).filter(pk=owner_user.pk).exists()
    ):
        errors["owner_user"] = _("责任人须是牵头街道（社区）的工作人员或成员单位的代表。")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        gathering=gathering, text=text, owner=owner_user, due_on=due_on, created_by=actor
    )
    item = ActionItem.objects.create(
        meeting=meeting,
        decision=decision,
        area=meeting.body.area,
        text=text,
        owner_partner=owner_partner,
        owner_user=owner_user,
        due_on=due_on,
        created_by=actor,
    )
    start(item, actor=actor)
    return item


# --- the clock ----------------------------------------------------------------------------------------------
def remind_overdue_actions(*, today: date | None = None) -> int:
    """Each open action item past its deadline: its owner (the person and the unit's representatives) and the
    host (the staff of the body's area) are told; again every REMIND_EVERY_DAYS days while it stays open,
    however often this runs (claimed by a conditional UPDATE). Returns how many were reminded."""
    today = today or timezone.localdate()
    again = today - timedelta(days=REMIND_EVERY_DAYS)
    due = (
        ActionItem.objects.filter(selectors.overdue_q(today))
        .exclude(reminded_on__gt=again)
        .select_related("area", "owner_partner")
        .order_by("due_on", "pk")
    )
    reminded = 0
    for item in due:
        with transaction.atomic():
            claimed = ActionItem.objects.filter(pk=item.pk, state=ActionState.OPEN).exclude(
                reminded_on__gt=again
            )
            if not claimed.update(reminded_on=today):
                continue
            verb = _("督办事项已逾期（期限 %(day)s）：%(text)s") % {
                "day": item.due_on,
                "text": item.text[:60],
            }
            recipients = item.owner_ids() | set(selectors.host_people(item.area))
            notify(recipients=recipients, verb=verb, target=item, url=item.get_absolute_url())
            reminded += 1
    return reminded
