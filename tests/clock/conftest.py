"""Fixtures of the clock tests: declaring a test task periodic for the length of a test, a moment in
Beijing time, and the runs and queued tasks of one periodic task."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from grassroots.clock import registry
from grassroots.clock.models import PeriodicRun

BEIJING = ZoneInfo("Asia/Shanghai")


def bj(*args) -> datetime:
    """bj(2026, 3, 10, 8, 0) → that moment in Beijing time."""
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The platform's periodic tasks run in these tests; the files purge sweeps MEDIA_ROOT: a scratch one."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def declare():
    """declare(task, cron=..., name=...) → the task, periodic until the test ends."""
    names = []

    def add(task, *, cron: str, name: str):
        registry.register(task, cron=cron, name=name)
        names.append(name)
        return registry.get(name)

    yield add
    for name in names:
        registry.unregister(name)


def runs(name: str) -> list[PeriodicRun]:
    return list(PeriodicRun.objects.filter(name=name).order_by("slot"))


def queued(task) -> int:
    """How many times `task` was put on the database queue."""
    return DBTaskResult.objects.filter(task_path=task.module_path).count()
