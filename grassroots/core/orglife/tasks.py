"""Background tasks of organizational life (django-tasks), run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.core.orglife.services.reminders import remind_due


@periodic(cron="10 8 * * *", name="orglife.remind", label=_("组织生活到期提醒"))
@task()
def remind_orglife_due() -> int:
    """Remind branch secretaries of required gatherings not yet held as a period nears its end. Idempotent:
    each branch, kind and period once. Daily at 08:10 (the clock, docs/clock.md)."""
    return remind_due()


@periodic(cron="10 4 * * *", name="orglife.forget_absences", label=_("组织生活缺席原因超过保存期限的删除"))
@task()
def forget_absences() -> dict:
    """Blank the absence reasons of meetings held before ORGLIFE_ABSENCES_RETENTION_YEARS (daily, 04:10)."""
    from grassroots.core.orglife import retention

    return retention.forget_absences()
