"""Background work of operations: the nightly backup, run by `manage.py db_worker`; the clock enqueues it
daily at 02:30 (`operations.backup`, docs/clock.md). `manage.py backup` does the same by hand."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.operations.backup import scheduled_backup


@periodic(cron="30 2 * * *", name="operations.backup", label=_("每日备份数据库和上传文件"))
@task()
def backup_daily() -> dict:
    """An archive into BACKUP_DIR, keeping the BACKUP_KEEP newest (`backup.scheduled_backup`)."""
    return scheduled_backup()
