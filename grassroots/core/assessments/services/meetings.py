"""On-site meetings (现场会): create one (its gathering of kind 现场会 through the gatherings' service),
change what it shows, record the lessons drawn from it, and turn a lesson into a duty task of
the issuing level (the gathering's area) in one call: the task links back to the lesson
(`task.site_lesson`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import lies_under
from grassroots.core.assessments.models import FindingState, Lesson, Shows, SiteMeeting
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors.inspections import visible_inspections
from grassroots.core.assessments.services._common import require
from grassroots.core.duties import services as duties
from grassroots.core.duties.selectors import visible_tasks
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Gathering
from grassroots.portal.submissions import create_once

KIND = "site_meeting"
# The fields of the meeting's own record, as the form, the API and update_site_meeting take them.
OWN_FIELDS = ("shows", "task", "inspection", "practice_area", "practice", "host_area", "visiting_orgs")


def _check(actor, meeting: SiteMeeting, visiting_orgs: Iterable[PartyOrg]) -> None:
    """The rules of what a meeting shows, where and to whom; errors keyed by field."""
    area = meeting.gathering.area
    errors: dict[str, str] = {}
    if meeting.host_area_id is None or not lies_under(meeting.host_area.path, area.path):
        errors["host_area"] = _("承办区域须是会议所在区域或其下级。")
    elif meeting.host_area.retired:
        errors["host_area"] = _("该区域已撤销。")
    shows = meeting.shows
    if shows not in Shows.values:
        errors["shows"] = _("请选择观摩内容。")
    # exactly one of the three: the others are cleared
    if shows != Shows.TASK:
        meeting.task = None
    if shows != Shows.RECTIFICATION:
        meeting.inspection = None
    if shows != Shows.PRACTICE:
        meeting.practice_area, meeting.practice = None, ""
    if shows == Shows.TASK:
        if meeting.task is None:
            errors["task"] = _("请选择观摩的任务。")
        elif meeting.task.issued_at is None or not visible_tasks(actor).filter(pk=meeting.task.pk).exists():
            errors["task"] = _("请选择您能查看的已下发任务。")
    elif shows == Shows.RECTIFICATION:
        inspection = meeting.inspection
        if inspection is None:
            errors["inspection"] = _("请选择观摩的督察整改。")
        elif not visible_inspections(actor).filter(pk=inspection.pk).exists():
            errors["inspection"] = _("请选择您能查看的督察。")
        elif not inspection.findings.exclude(state=FindingState.RECTIFYING).exists():
            errors["inspection"] = _("这次督察还没有已整改的问题。")
    elif shows == Shows.PRACTICE:
        place = meeting.practice_area
        if place is None or place.level != Level.COMMUNITY or not lies_under(place.path, area.path):
            errors["practice_area"] = _("请选择会议所在区域内的社区。")
        if not (meeting.practice or "").strip():
            errors["practice"] = _("请填写观摩的经验做法。")
    orgs = {o.pk for o in visiting_orgs}
    seen = scoped(PartyOrg.objects.filter(pk__in=orgs, retired=False), actor, "party_orgs.view")
    if seen.count() != len(orgs):
        errors["visiting_orgs"] = _("请选择您能查看的现有党组织。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_site_meeting(
    *,
    actor,
    area: Area,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    host_area: Area,
    shows: str,
    place: str = "",
    agenda: str = "",
    task=None,
    inspection=None,
    practice_area: Area | None = None,
    practice: str = "",
    visiting_orgs: Iterable[PartyOrg] = (),
    submission: str = "",
) -> SiteMeeting:
    """An on-site meeting organized by `area` (the issuing level: assessments.manage there): its gathering
    of kind 现场会 (agenda = the gathering's description), and what it shows at `host_area`. `submission`:
    the form's token — the same form posted again gives the meeting it made (portal/submissions.py)."""
    require(actor, MANAGE, area, _("您没有在该区域组织现场会的权限。"))
    own = {"host_area": host_area, "shows": shows, "task": task, "inspection": inspection}
    own |= {"practice_area": practice_area, "practice": practice, "visiting_orgs": visiting_orgs}

    def create(token: str) -> SiteMeeting:
        gathering = gatherings.create_gathering(
            actor=actor,
            area=area,
            kind=KIND,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place or "",
            description=agenda or "",
        )
        return _write(actor, gathering, own, submission=token)

    return create_once(SiteMeeting, submission=submission, create=create, created_by=actor)


@transaction.atomic
def record_site_meeting(*, actor, gathering: Gathering, host_area: Area, shows: str, **fields) -> SiteMeeting:
    """Give an existing gathering of kind 现场会 (one made on the gatherings pages) its record."""
    require(actor, MANAGE, gathering.area, _("您没有在该区域组织现场会的权限。"))
    if gathering.kind != KIND:
        raise ValidationError({"gathering": _("只有“现场会”类的会议活动可以登记为现场会。")})
    if SiteMeeting.objects.filter(gathering=gathering).exists():
        raise ValidationError({"gathering": _("该会议活动已登记为现场会。")})
    return _write(actor, gathering, {"host_area": host_area, "shows": shows, **fields})


def _write(actor, gathering: Gathering, values: dict, submission: str = "") -> SiteMeeting:
    meeting = SiteMeeting(
        gathering=gathering,
        created_by=actor,
        submission=submission,
        **{f: values.get(f) for f in OWN_FIELDS if f != "visiting_orgs"},
    )
    meeting.practice = meeting.practice or ""
    visiting = list(values.get("visiting_orgs") or ())
    _check(actor, meeting, visiting)
    meeting.save()
    meeting.visiting_orgs.set(visiting)
    return meeting


@transaction.atomic
def update_site_meeting(*, actor, meeting: SiteMeeting, agenda: str | None = None, **changes) -> SiteMeeting:
    """Change what the meeting shows, its host and visitors (any time), and its agenda (the gathering's
    description: only while the gathering is planned, as every change of a gathering)."""
    unknown = set(changes) - set(OWN_FIELDS)
    if unknown:
        raise TypeError(f"update_site_meeting() cannot change {sorted(unknown)}")
    meeting = SiteMeeting.objects.select_for_update().select_related("gathering__area").get(pk=meeting.pk)
    require(actor, MANAGE, meeting.gathering.area, _("您没有在该区域组织现场会的权限。"))
    visiting = changes.pop("visiting_orgs", None)
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.practice = meeting.practice or ""
    _check(actor, meeting, meeting.visiting_orgs.all() if visiting is None else visiting)
    meeting.save()
    if visiting is not None:
        meeting.visiting_orgs.set(visiting)
    if agenda is not None and agenda != meeting.gathering.description:
        gatherings.update_gathering(actor=actor, gathering=meeting.gathering, description=agenda)
    return meeting


@transaction.atomic
def add_lesson(*, actor, meeting: SiteMeeting, text: str) -> Lesson:
    """A lesson drawn at the meeting (the organizers)."""
    require(actor, MANAGE, meeting.gathering.area, _("只有组织现场会的单位可以记录经验启示。"))
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写经验启示。")})
    return Lesson.objects.create(meeting=meeting, text=text.strip(), created_by=actor)


@transaction.atomic
def lesson_to_task(
    *,
    actor,
    lesson: Lesson,
    deadline: date,
    target_level: int,
    title: str = "",
    description: str = "",
    affair=None,
    office=None,
    targets: Iterable[Area] | None = None,
):
    """Turn the lesson into a duty task issued by the meeting's area (the issuing level; duties.issue there,
    and THE RULE of admission for tasks to communities): one call, one task, linked back to the lesson."""
    lesson = Lesson.objects.select_for_update().select_related("meeting__gathering__area").get(pk=lesson.pk)
    if lesson.task_id is not None:
        raise ValidationError(_("这条经验启示已转化为任务。"), code="done")
    meeting = lesson.meeting
    require(actor, MANAGE, meeting.gathering.area, _("只有组织现场会的单位可以把经验启示转化为任务。"))
    source = _("来自现场会“%(meeting)s”的经验启示：%(text)s") % {
        "meeting": meeting.gathering.title,
        "text": lesson.text,
    }
    task = duties.issue_task(
        actor=actor,
        area=meeting.gathering.area,
        title=(title or lesson.text[:150]).strip(),
        deadline=deadline,
        target_level=target_level,
        description=description or source,
        affair=affair,
        office=office,
        targets=targets,
    )
    lesson.task = task
    lesson.save(update_fields=["task"])
    return task
