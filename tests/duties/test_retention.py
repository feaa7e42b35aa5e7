"""What an approved assignment's work report and return reason say is replaced by the placeholder
DUTIES_REPORTS_RETENTION_YEARS after its approval (clock pinned), by the clock's daily task, in its steps'
comments too; the assignment stays (state, dates, who took which step); an assignment still open and a
recent one keep theirs; running twice is harmless; the audit chain still verifies."""

from __future__ import annotations

from datetime import timedelta

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.core.duties.models import AssignmentState
from grassroots.core.duties.tasks import forget_reports
from grassroots.privacy.retention import erased_text
from grassroots.workflow.models import TransitionLog

REPORT = "走访独居老人张大爷（13812345678）三次"
REASON = "缺少走访张大爷的照片"


def _comments(assignment) -> list[str]:
    return list(
        TransitionLog.objects.filter(object_id=assignment.pk, content_type__model="dutyassignment")
        .exclude(comment="")
        .values_list("comment", flat=True)
    )


def test_old_work_reports_are_forgotten_the_assignment_stays(
    cast, tree, issue, step, settings, time_machine, today
):
    settings.DUTIES_REPORTS_RETENTION_YEARS = 10
    assert get("duties.forget_reports") is not None  # the clock runs it
    task = issue()
    old, open_one = task.assignments.order_by("area__path")[:2]
    street = {old.pk: cast.street_a, open_one.pk: cast.street_b}
    for assignment in (old, open_one):
        step(assignment, "accept", street[assignment.pk])
        step(assignment, "begin", street[assignment.pk])
        step(assignment, "submit", street[assignment.pk], REPORT)
    step(old, "send_back", cast.city, REASON)
    step(old, "rework", cast.street_a)
    step(old, "resubmit", cast.street_a, REPORT)
    old = step(old, "approve", cast.city)
    assert old.state == AssignmentState.APPROVED and old.return_reason == REASON

    time_machine.move_to(old.approved_at + timedelta(days=365 * 10 + 1), tick=False)
    assert forget_reports.call()["count"] == 0  # ten years and the leap days not yet past

    time_machine.move_to(old.approved_at + timedelta(days=365 * 10 + 5), tick=False)
    result = forget_reports.call()
    assert (result["count"], result["years"]) == (1, 10)
    assert forget_reports.call()["count"] == 0  # idempotent
    old.refresh_from_db()
    assert (old.evidence, old.return_reason, old.state) == (erased_text(), "", AssignmentState.APPROVED)
    assert old.approved_at is not None and old.submitted_at is not None
    assert _comments(old) and set(_comments(old)) == {erased_text()}
    steps = TransitionLog.objects.filter(object_id=old.pk, content_type__model="dutyassignment")
    assert (
        steps.count() == 8
    )  # issued, accepted, begun, submitted, sent back, reworked, resubmitted, approved
    open_one.refresh_from_db()
    assert open_one.evidence == REPORT and REPORT in _comments(open_one)
    assert AuditEvent.objects.filter(what__contains="完成情况和退回理由删除 1 条").count() == 1
    assert chain.verify().ok
