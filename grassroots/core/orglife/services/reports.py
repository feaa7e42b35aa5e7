"""The report form (报告单): draft (attendance from the branch's member list, minutes, resolutions, photos)
→ submitted → accepted, or returned → resubmitted. Saving a report again never enters study hours twice:
attendance goes through the gatherings mechanism, which signals only changes, and study records are unique
per member and gathering."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import Member
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport, ReportAttendance, ReportState
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.services._common import require_branch, require_branch_side
from grassroots.gatherings.models import Gathering, Status
from grassroots.portal.submissions import create_once
from grassroots.workflow.services import start, transition

# Members whose record is open: they are on the branch's attendance list.
LISTED_STATUSES = ("normal", "mobile", "lost_contact", "found")


def roster(branch):
    """The branch's member list for attendance."""
    return Member.objects.filter(branch=branch, status__in=LISTED_STATUSES).order_by("name", "pk")


def start_report(
    *, actor, gathering: Gathering, now: datetime | None = None, submission: str = ""
) -> OrgLifeReport:
    """Open the report form of a gathering of organizational life organized by a branch, once it has begun;
    the gathering is marked held. `submission`: the token of the form that reported it (report_unplanned)."""
    now = now or timezone.now()
    branch = gathering.party_org
    if gathering.kind not in kinds.KINDS or branch is None:
        raise ValidationError(_("只有党支部的组织生活会议可以填写报告单。"), code="kind")
    require_branch(branch)
    require_branch_side(actor, branch)
    if gathering.status == Status.CANCELLED:
        raise ValidationError(_("该会议已取消。"), code="cancelled")
    if gathering.starts_at > now:
        raise ValidationError(_("会议尚未召开，不能填写报告单。"), code="not_started")
    existing = OrgLifeReport.objects.filter(gathering=gathering).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        gathering = bridge.mark_held(gathering, actor=actor)
        report = OrgLifeReport.objects.create(
            branch=branch,
            gathering=gathering,
            kind=gathering.kind,
            held_on=timezone.localdate(gathering.starts_at),
            minutes=gathering.minutes,
            created_by=actor,
            submission=submission,
        )
        start(report, actor=actor)
    return report


def report_unplanned(
    *,
    actor,
    branch,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    now: datetime | None = None,
    submission: str = "",
) -> OrgLifeReport:
    """Report a gathering that was not in a filing form: the gathering is recorded first, then its report.
    `submission`: the form's token — the same form posted again gives the report it made
    (portal/submissions.py)."""
    require_branch(branch)
    require_branch_side(actor, branch)
    now = now or timezone.now()
    errors = {}
    if kind not in kinds.KINDS:
        errors["kind"] = _("请选择会议类型。")
    if not title.strip():
        errors["title"] = _("请填写主题。")
    if starts_at > now:
        errors["starts_at"] = _("只能补报已经召开的会议。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> OrgLifeReport:
        gathering = bridge.create_branch_gathering(
            branch=branch,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            organizer=branch.secretary or actor,
            actor=actor,
            place=place,
        )
        return start_report(actor=actor, gathering=gathering, now=now, submission=token)

    return create_once(OrgLifeReport, submission=submission, create=create, created_by=actor)


def save_report(
    *,
    actor,
    report: OrgLifeReport,
    minutes: str,
    resolutions: str = "",
    marks: Iterable[tuple[Member, bool, str]] = (),
) -> OrgLifeReport:
    """Write a draft or returned report: minutes, resolutions and attendance (member, present, reason). An
    absent member needs a reason; every member must belong to the branch. Marks are upserted: a member not
    in `marks` keeps their earlier mark."""
    require_branch_side(actor, report.branch)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError(_("只有草稿或被退回的报告单可以修改。"), code="state")
    marks = [(m, bool(p), "" if p else (r or "").strip()[:200]) for m, p, r in marks]
    errors = []
    for member, present, reason in marks:
        if member.branch_id != report.branch_id:
            errors.append(_("%(name)s 不是本支部党员。") % {"name": member.name})
        elif not present and not reason:
            errors.append(  # params.member: the page shows the message at the member's row
                ValidationError(
                    _("请填写 %(name)s 的缺席原因。"),
                    code="absence_reason",
                    params={"name": member.name, "member": member.pk},
                )
            )
    if errors:
        raise ValidationError({"attendance": errors})
    with transaction.atomic():
        state = OrgLifeReport.objects.select_for_update().values_list("state", flat=True).get(pk=report.pk)
        if state not in (ReportState.DRAFT, ReportState.RETURNED):
            raise ValidationError(_("该报告单已被他人报送或审核，请刷新页面。"), code="state")
        report.minutes, report.resolutions = minutes.strip(), resolutions.strip()
        report.save(update_fields=["minutes", "resolutions", "updated_at"])
        gathering = report.gathering
        bridge.copy_minutes(gathering, report.minutes, actor=actor)
        existing = {a.member_id: a for a in report.attendance.all()}
        new, changed = [], []
        for member, present, reason in marks:
            mark = existing.get(member.pk)
            if mark is None:
                new.append(
                    ReportAttendance(report=report, member=member, present=present, absence_reason=reason)
                )
            elif (mark.present, mark.absence_reason) != (present, reason):
                mark.present, mark.absence_reason = present, reason
                changed.append(mark)
        ReportAttendance.objects.bulk_create(new)
        ReportAttendance.objects.bulk_update(changed, ["present", "absence_reason"])
        bridge.record_attendance(gathering=gathering, marks=marks, actor=actor)
    return report


def add_report_photo(*, actor, report: OrgLifeReport, image, caption: str = ""):
    require_branch_side(actor, report.branch)
    with transaction.atomic():
        return bridge.add_photo(gathering=report.gathering, image=image, caption=caption, actor=actor)


def submit_report(*, actor, report: OrgLifeReport, comment: str = "") -> OrgLifeReport:
    name = "resubmit" if report.state == ReportState.RETURNED else "submit"
    transition(report, name, actor=actor, comment=comment)
    return report


def accept_report(*, actor, report: OrgLifeReport, comment: str = "") -> OrgLifeReport:
    transition(report, "accept", actor=actor, comment=comment)
    return report


def return_report(*, actor, report: OrgLifeReport, comment: str) -> OrgLifeReport:
    transition(report, "return_report", actor=actor, comment=comment)
    return report
