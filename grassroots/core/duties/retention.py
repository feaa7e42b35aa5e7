"""Retention of duty assignments' work reports (docs/duties.md, docs/decisions.md "Retention of business
records"): DUTIES_REPORTS_RETENTION_YEARS after an assignment was approved as done, the clock's daily
`duties.forget_reports` replaces what its work report (完成情况) and any return reason say — which may
name the residents served — by the placeholder. The assignment stays as the office's work record (task,
area, office, dates, state), so the figures do not change; the steps are grassroots/privacy/retention.py's.
The comments of its workflow steps, where the same report and reasons were written, get the placeholder too
(workflow.services.forget_comments); who took which step when, and the files attached, are kept."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _erased() -> dict:
    return {"evidence": retention.erased_text(), "return_reason": ""}


def _due(cutoff: dt.date):
    from grassroots.core.duties.models import AssignmentState, DutyAssignment

    return DutyAssignment.objects.filter(
        state=AssignmentState.APPROVED, approved_at__lt=retention.start_of(cutoff)
    ).filter((~Q(evidence=retention.erased_text()) & ~Q(evidence="")) | ~Q(return_reason=""))


def _steps(assignments: list) -> None:
    from grassroots.workflow.services import forget_comments

    forget_comments(assignments, placeholder=retention.erased_text())


REPORTS = retention.Rule(
    setting="DUTIES_REPORTS_RETENTION_YEARS",
    label=_("任务完成情况保存期限"),
    what=_("任务办理超过保存期限：完成情况和退回理由删除 %(count)s 条"),
    due=_due,
    erased=_erased,
    extra=_steps,
)


def forget_reports(*, now: dt.datetime | None = None) -> dict:
    return retention.run(REPORTS, now=now)
