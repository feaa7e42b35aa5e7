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


@periodic(cron="25 4 * * *", name="selfgov.forget_opinions", label=_("居民意见超过保存期限的去标识化"))
@task()
def forget_opinions() -> dict:
    """Forget the text, place, photos and supporters of opinions decided and older than
    SELFGOV_OPINIONS_RETENTION_YEARS (daily, 04:25)."""
    from grassroots.selfgov import retention

    return retention.forget_opinions()


@periodic(
    cron="30 4 * * *", name="selfgov.forget_rating_comments", label=_("民生事项评议意见超过保存期限的删除")
)
@task()
def forget_rating_comments() -> dict:
    """Blank the comments of rating rounds closed before SELFGOV_OPINIONS_RETENTION_YEARS (daily, 04:30)."""
    from grassroots.selfgov import retention

    return retention.forget_rating_comments()
