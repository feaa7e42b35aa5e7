"""Background tasks of the duties app (django-tasks), run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.core.duties.services import remind_assignments


@periodic(cron="0 8 * * *", name="duties.remind", label=_("任务截止提醒与逾期通知"))
@task()
def remind_duty_assignments() -> dict:
    """Remind the targets of assignments due within 3 days, and report the ones that fell overdue; once per
    assignment and deadline however often it runs. Daily at 08:00 (the clock, docs/clock.md).
    Returns {"reminded": n, "overdue": m}."""
    return remind_assignments()


@periodic(cron="15 4 * * *", name="duties.forget_reports", label=_("任务完成情况超过保存期限的删除"))
@task()
def forget_reports() -> dict:
    """Forget what work reports approved before DUTIES_REPORTS_RETENTION_YEARS say (daily, 04:15)."""
    from grassroots.core.duties import retention

    return retention.forget_reports()
