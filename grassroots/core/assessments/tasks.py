"""Background work of the assessments app (django-tasks), run by `manage.py db_worker`."""

from django_tasks import task

from grassroots.core.assessments.services.schemes import run_compute


@task()
def compute_scheme_task(scheme_id: int) -> str:
    """Compute a whole assessment scheme for all its targets (see `services.schemes.compute_scheme`)."""
    return run_compute(scheme_id)
