"""Retention of organizational-life reports (docs/orglife.md, docs/decisions.md "Retention of business
records"): ORGLIFE_ABSENCES_RETENTION_YEARS after a reported meeting was held, the clock's daily
`orglife.forget_absences` blanks the reason each absent member gave (often illness or family matters). The
report — minutes, resolutions, who was present and who absent — is the Party organization's record and
stays (Party rules keep the branch's records); the steps are grassroots/privacy/retention.py's."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _due(cutoff: dt.date):
    from grassroots.core.orglife.models import ReportAttendance

    return ReportAttendance.objects.filter(report__held_on__lt=cutoff).exclude(absence_reason="")


ABSENCES = retention.Rule(
    setting="ORGLIFE_ABSENCES_RETENTION_YEARS",
    label=_("组织生活缺席原因保存期限"),
    what=_("组织生活报告超过保存期限：缺席原因删除 %(count)s 条"),
    due=_due,
    erased=lambda: {"absence_reason": ""},
)


def forget_absences(*, now: dt.datetime | None = None) -> dict:
    return retention.run(ABSENCES, now=now)
