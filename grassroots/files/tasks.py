"""Background work of files, run by `manage.py db_worker`; enqueue `purge_files` once a day (the
periodic scheduler, or cron with `manage.py purge_files`: docs/files.md)."""

from django_tasks import task

from grassroots.files import services


@task()
def purge_files() -> dict:
    """Delete import files and exports older than FILES_RETENTION_DAYS (`services.purge_files`)."""
    return services.purge_files().as_dict()
