"""Background work of the visit log, run by `manage.py db_worker`; the clock enqueues it (docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.gridwork import retention


@periodic(cron="5 4 * * *", name="gridwork.forget_visits", label=_("网格走访超过保存期限的去标识化"))
@task()
def forget_visits() -> dict:
    """Forget the person in visits logged before GRIDWORK_VISITS_RETENTION_YEARS (daily, 04:05)."""
    return retention.forget_visits()
