"""Background tasks of organizational life (django-tasks), run by `manage.py db_worker`."""

from django_tasks import task

from grassroots.core.orglife.services.reminders import remind_due


@task()
def remind_orglife_due() -> int:
    """Remind branch secretaries of required gatherings not yet held as a period nears its end. Idempotent:
    each branch, kind and period once. Schedule it daily (cron or a systemd timer: `manage.py shell -c "from
    grassroots.core.orglife.tasks import remind_orglife_due as t; t.enqueue()"`)."""
    return remind_due()
