"""Background work of imports and exports, run by `manage.py db_worker`."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from grassroots.clock.registry import periodic
from grassroots.imports.recovery import recover_stale_exports, recover_stale_imports
from grassroots.imports.runner import run_export_job, run_import_job


@task()
def run_import(job_id: int) -> str:
    """Validate and write an uploaded file (see `runner.run_import_job`)."""
    return run_import_job(job_id=job_id, notify=True).status


@task()
def run_export(job_id: int) -> str:
    """Write a large export for its requester (see `runner.run_export_job`)."""
    return run_export_job(job_id=job_id, notify=True).status


@periodic(cron="*/5 * * * *", name="imports.recover", label=_("恢复中断的导入和导出"))
@task()
def recover_imports() -> dict:
    """Resume or fail imports and background exports whose process died (recovery.py); every 5 minutes.
    Keys: the import's id, "export:<id>" for an export."""
    done = {str(pk): outcome for pk, outcome in recover_stale_imports().items()}
    return done | {f"export:{pk}": outcome for pk, outcome in recover_stale_exports().items()}
