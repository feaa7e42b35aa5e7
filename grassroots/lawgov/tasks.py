"""Periodic tasks of 法治 (the clock, docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.lawgov import services_disputes


@periodic(cron="50 8 * * *", name="lawgov.remind_due", label=_("纠纷调解期限和回访提醒"))
@task()
def remind_due() -> int:
    """Open cases whose time limit ends within LAWGOV_REMIND_DAYS days or has passed, and settled cases whose
    follow-up visit is due: their mediators reminded once per stage. Daily at 08:50."""
    return services_disputes.remind_due()
