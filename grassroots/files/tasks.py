"""Background work of files, run by `manage.py db_worker`; the clock enqueues `purge_files` daily at 03:15
(`files.purge`, docs/clock.md); `manage.py purge_files` runs it by hand."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.files import services


@periodic(cron="15 3 * * *", name="files.purge", label=_("清理过期的导入导出文件"))
@task()
def purge_files() -> dict:
    """Delete import files and exports older than FILES_RETENTION_DAYS (`services.purge_files`)."""
    return services.purge_files().as_dict()
