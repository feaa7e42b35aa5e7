"""Background tasks of the members app (django-tasks), run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.core.members.services import manage, retention


@periodic(cron="20 8 * * *", name="members.remind_conversions", label=_("预备党员转正提醒"))
@task()
def remind_conversions_due() -> int:
    """Remind the branch and community secretaries of probationary members whose conversion falls due in
    the next 30 days; once per member and due date. Daily at 08:20 (the clock, docs/clock.md). Returns the
    number of members reminded by this run."""
    return manage.remind_conversions_due()


@periodic(cron="50 3 * * *", name="members.forget_departed", label=_("转出党员超过保存期限的信息去标识化"))
@task()
def forget_departed() -> dict:
    """Pseudonymise members transferred out more than MEMBERS_DEPARTED_RETENTION_YEARS ago (daily, 03:50)."""
    return retention.forget_departed()
