"""Background work of imports and exports, run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.imports.recovery import recover_stale_imports
from grassroots.imports.runner import run_export_job, run_import_job


@task()
def run_import(job_id: int) -> str:
    """Validate and write an uploaded file (see `runner.run_import_job`)."""
    return run_import_job(job_id=job_id, notify=True).status


@task()
def run_export(job_id: int) -> str:
    """Write a large export for its requester (see `runner.run_export_job`)."""
    return run_export_job(job_id=job_id, notify=True).status


@periodic(cron="*/5 * * * *", name="imports.recover", label=_("恢复中断的导入"))
@task()
def recover_imports() -> dict:
    """Resume or fail imports whose process died (`recovery.recover_stale_imports`); every 5 minutes."""
    return {str(pk): outcome for pk, outcome in recover_stale_imports().items()}
