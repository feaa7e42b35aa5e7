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


@periodic(
    cron="50 3 * * *", name="members.forget_departed", label=_("转出或出党党员超过保存期限的信息去标识化")
)
@task()
def forget_departed() -> dict:
    """Pseudonymise members transferred out or gone from the Party more than
    MEMBERS_DEPARTED_RETENTION_YEARS ago (daily, 03:50)."""
    return retention.forget_departed()


@periodic(cron="55 3 * * *", name="members.forget_deceased", label=_("已故党员超过保存期限的信息去标识化"))
@task()
def forget_deceased() -> dict:
    """Pseudonymise deceased members MEMBERS_DECEASED_RETENTION_YEARS after their death was recorded (daily,
    03:55)."""
    return retention.forget_deceased()
