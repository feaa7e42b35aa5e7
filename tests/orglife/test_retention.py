"""The reasons members gave for missing an organizational-life meeting are blanked
ORGLIFE_ABSENCES_RETENTION_YEARS after the meeting (clock pinned), by the clock's daily task; the report —
minutes, who was present and who absent — stays whole (the Party's record); a recent meeting keeps its
reasons; one audit event; running twice is harmless; the audit chain still verifies."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport, ReportAttendance
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.tasks import forget_absences
from tests.orglife.conftest import at

REASON = "住院治疗（心脏病）"


def _report(orgs, members, day: date) -> OrgLifeReport:
    kind = kinds.GENERAL_MEETING
    gathering = bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kind,
        title=kinds.label(kind),
        starts_at=at(day),
        ends_at=at(day, 11),
        organizer=orgs.branch_sec,
    )
    report = OrgLifeReport.objects.create(
        branch=orgs.branch,
        gathering=gathering,
        kind=kind,
        held_on=day,
        minutes="学习党章",
        created_by=orgs.branch_sec,
    )
    ReportAttendance.objects.create(report=report, member=members.alice, present=True)
    ReportAttendance.objects.create(report=report, member=members.bob, present=False, absence_reason=REASON)
    return report


def test_old_absence_reasons_are_blanked_the_report_stays(orgs, members, settings, time_machine, today):
    settings.ORGLIFE_ABSENCES_RETENTION_YEARS = 5
    assert get("orglife.forget_absences") is not None  # the clock runs it
    old = _report(orgs, members, today - timedelta(days=10))
    recent = _report(orgs, members, today + timedelta(days=400))

    time_machine.move_to(timezone.now() + timedelta(days=365 * 5 - 12), tick=False)
    assert forget_absences.call()["count"] == 0

    time_machine.move_to(timezone.now() + timedelta(days=24), tick=False)
    result = forget_absences.call()
    assert (result["count"], result["years"]) == (1, 5)
    assert forget_absences.call()["count"] == 0  # idempotent
    marks = {m.member_id: m for m in old.attendance.all()}
    assert (marks[members.bob.pk].present, marks[members.bob.pk].absence_reason) == (False, "")
    assert marks[members.alice.pk].present
    old.refresh_from_db()
    assert old.minutes == "学习党章"
    assert recent.attendance.get(member=members.bob).absence_reason == REASON
    assert AuditEvent.objects.filter(what__contains="缺席原因删除 1 条").count() == 1
    assert chain.verify().ok
