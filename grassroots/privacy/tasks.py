"""Background work of privacy, run by `manage.py db_worker`; the clock enqueues `forget_old_requests` daily at
03:40 (`privacy.forget_requests`, docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.privacy import services


@periodic(cron="40 3 * * *", name="privacy.forget_requests", label=_("删除过期个人信息申请的说明和答复"))
@task()
def forget_old_requests() -> dict:
    """Blank the details and reply of requests decided before PRIVACY_REQUESTS_RETENTION_DAYS."""
    return services.forget_old_requests()
