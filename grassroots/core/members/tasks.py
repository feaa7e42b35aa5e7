"""Background tasks of the members app (django-tasks), run by `manage.py db_worker`."""

from django_tasks import task

from grassroots.core.members.services import manage


@task()
def remind_conversions_due() -> int:
    """Remind the branch and community secretaries of probationary members whose conversion falls due in
    the next 30 days; once per member and due date. Schedule it daily (cron or a systemd timer:
    `manage.py shell -c "from grassroots.core.members.tasks import remind_conversions_due as t;
    t.enqueue()"`). Returns the number of members reminded by this run."""
    return manage.remind_conversions_due()
