"""Background work of the areas app, run by `manage.py db_worker`."""

from django_tasks import task

from grassroots.areas.services.imports import run_import


@task()
def run_area_import(job_id: int) -> str:
    """Validate and write an uploaded workbook (see `services.imports.run_import`)."""
    return run_import(job_id=job_id).status
