"""The clock's own housekeeping, itself a periodic task."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock import services
from grassroots.clock.registry import periodic


@periodic(cron="50 3 * * *", name="clock.prune_runs", label=_("清理定时任务运行记录"))
@task()
def prune_clock_runs() -> dict[str, int]:
    """Forget runs older than 90 days (never a task's latest) and schedulers silent for a day."""
    return services.prune_runs()


@periodic(cron="40 4 * * *", name="clock.analyze", label=_("更新数据库查询统计"))
@task()
def analyze_database() -> dict[str, object]:
    """Refresh the query planner's statistics on SQLite, daily at 04:40 (PostgreSQL's autovacuum does it)."""
    return services.analyze_database()
