"""Periodic tasks of self-governance (the clock, docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.selfgov.services import evaluation, execution, negotiations


@periodic(cron="*/10 * * * *", name="selfgov.close_evaluations", label=_("结束到期的民生事项评议"))
@task()
def close_evaluations() -> dict:
    """Every evaluation round whose window has passed: counted, the matter done or back to execution."""
    return evaluation.close_due_evaluations()


@periodic(cron="0 8 * * *", name="selfgov.overdue_milestones", label=_("民生事项执行节点逾期提醒"))
@task()
def alert_overdue_milestones() -> int:
    """Milestones past their planned date, not done: the owner and the community's staff alerted once."""
    return execution.alert_overdue()


@periodic(cron="40 8 * * *", name="selfgov.remind_follow_ups", label=_("协商协议落实事项逾期提醒"))
@task()
def remind_overdue_follow_ups() -> int:
    """Follow-up items of agreed negotiations past their due date, not done: whoever started the negotiation
    is reminded once per item. Daily at 08:40. Returns how many were reminded."""
    return negotiations.remind_overdue_follow_ups()
