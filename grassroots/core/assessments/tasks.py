"""Background work of the assessments app (django-tasks), run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.core.assessments.services.schemes import run_compute


@task()
def compute_scheme_task(scheme_id: int) -> str:
    """Compute a whole assessment scheme for all its targets (see `services.schemes.compute_scheme`)."""
    return run_compute(scheme_id)


@periodic(cron="20 4 * * *", name="assessments.forget_ratings", label=_("网格干部评价意见超过保存期限的删除"))
@task()
def forget_ratings() -> dict:
    """Blank the comments of ratings of years ended before ASSESSMENTS_RATINGS_RETENTION_YEARS (04:20)."""
    from grassroots.core.assessments import retention

    return retention.forget_ratings()
