"""The outcome of a periodic task reaches its run through django-tasks' signals, which every backend sends
(the database worker, the immediate backend of tests) in the process that runs the task."""

import logging

from django.db import DatabaseError
from django_tasks.signals import task_finished, task_started

logger = logging.getLogger("grassroots.clock")


def _record(sender, task_result, **kwargs) -> None:
    from grassroots.clock import services

    try:
        services.record(result=task_result)
    except DatabaseError:  # the task's own outcome is kept by the backend; the clock page shows it stale
        logger.exception("could not record the outcome of task %s", task_result.id)


def connect() -> None:
    task_started.connect(_record, dispatch_uid="grassroots.clock.started")
    task_finished.connect(_record, dispatch_uid="grassroots.clock.finished")
