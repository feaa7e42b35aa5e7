"""Reminders to branch secretaries before a period ends with a required gathering not yet held."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.orglife.models import OrgLifeReminder
from grassroots.core.orglife.selectors.reminders import due_reminders
from grassroots.workflow.services import notify


def remind_due(*, today: date | None = None) -> int:
    """Notify the secretary of each branch due a reminder, once per branch, kind and period however often
    this runs (an `OrgLifeReminder` row is the proof; a branch without a secretary gets the row too, so it is
    not selected again). Returns the number of reminders written."""
    sent = 0
    for due in due_reminders(today):
        for branch in due.branches.only("pk", "name", "secretary_id"):
            try:
                with transaction.atomic():
                    OrgLifeReminder.objects.create(
                        branch=branch, kind=due.rule.kind, period_start=due.period.start
                    )
                    if branch.secretary_id:
                        notify(
                            recipients=[branch.secretary_id],
                            verb=_(
                                "%(branch)s %(period)s尚未召开%(kind)s，请在本期结束（%(end)s）前召开并报告。"
                            )
                            % {
                                "branch": branch.name,
                                "period": due.period.label,
                                "kind": due.rule.label,
                                "end": due.period.end.isoformat(),
                            },
                            url=reverse("orglife:branch", args=[branch.pk]),
                        )
            except IntegrityError:  # another run reminded it just now
                continue
            sent += 1
    return sent
