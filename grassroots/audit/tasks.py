"""Background tasks of the audit trail (django-tasks)."""

from django_tasks import task

from grassroots.audit import services


@task()
def prune_audit() -> dict[str, int]:
    """Delete audit entries older than the retention period (at least 180 days). Schedule it daily."""
    return services.prune_audit()
