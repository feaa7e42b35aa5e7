"""Background work of gatherings, run by `manage.py db_worker`; the clock enqueues it (docs/clock.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.gatherings.services import retention


@periodic(
    cron="45 3 * * *",
    name="gatherings.forget_participants",
    label=_("会议活动参会人员超过保存期限的去标识化"),
)
@task()
def forget_participants() -> dict:
    """Forget who was on the lists of gatherings closed before GATHERINGS_PARTICIPANTS_RETENTION_YEARS (daily,
    03:45)."""
    return retention.forget_participants()


@periodic(cron="20 1 * * *", name="gatherings.materialise_series", label=_("生成周期性活动的近期场次"))
@task()
def materialise_series() -> dict:
    """The occurrences of every recurring series up to GATHERINGS_SERIES_HORIZON_DAYS ahead (daily, 01:20);
    idempotent."""
    from grassroots.gatherings.services import series

    return series.materialise_all()
