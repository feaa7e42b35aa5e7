"""Background tasks of the duties app (django-tasks), run by `manage.py db_worker`."""

from django_tasks import task

from grassroots.core.duties.services import remind_assignments


@task()
def remind_duty_assignments() -> dict:
    """Remind the targets of assignments due within 3 days, and report the ones that fell overdue; once per
    assignment and deadline however often it runs. Schedule it daily (cron or a systemd timer), e.g.
    `manage.py shell -c "from grassroots.core.duties.tasks import remind_duty_assignments as t;
    t.enqueue()"`.
    Returns {"reminded": n, "overdue": m}."""
    return remind_assignments()
