"""The catalog of periodic tasks. Each part declares its own, next to the task in its `tasks.py`:

    from django.utils.translation import gettext_lazy as _
    from django_tasks import task

    from grassroots.clock.registry import periodic

    @periodic(cron="30 2 * * *", name="audit.prune", label=_("清理过期审计日志"))
    @task()
    def prune_audit() -> dict: ...

`cron` is a five-field cron expression read in the platform's time zone (Asia/Shanghai, `TIME_ZONE`); `name`
is the task's key in the database (keep it stable: renaming it makes the clock treat it as a new task); the
task takes no arguments, must be idempotent, and should return a small JSON summary (shown on the clock
page). The scheduler (`manage.py scheduler`) enqueues each task once per period; see docs/clock.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

_REGISTRY: dict[str, Periodic] = {}
_discovered = False


@dataclass(frozen=True)
class Periodic:
    name: str
    cron: str
    task: Task
    label: str

    @property
    def task_path(self) -> str:
        return self.task.module_path

    def latest_slot(self, now: datetime) -> datetime | None:
        """The latest scheduled moment at or before `now` (aware, in the platform's time zone)."""
        local = timezone.localtime(now, timezone.get_default_timezone()).replace(microsecond=0)
        return croniter(self.cron, local + timedelta(seconds=1)).get_prev(datetime)

    def next_slot(self, now: datetime) -> datetime:
        """The first scheduled moment after `now`."""
        local = timezone.localtime(now, timezone.get_default_timezone())
        return croniter(self.cron, local).get_next(datetime)


def register(task: Task, *, cron: str, name: str, label=None) -> Task:
    """Declare `task` periodic (the function form of `@periodic`); returns the task unchanged."""
    if not isinstance(task, Task):
        raise ImproperlyConfigured(f"periodic {name!r}: put @periodic above @task(), on a django-tasks Task")
    if not croniter.is_valid(cron) or len(cron.split()) != 5:
        raise ImproperlyConfigured(f"periodic {name!r}: {cron!r} is not a five-field cron expression")
    known = _REGISTRY.get(name)
    if known is not None and known.task_path != task.module_path:
        raise ImproperlyConfigured(
            f"periodic {name!r} is declared twice ({known.task_path}, {task.module_path})"
        )
    _REGISTRY[name] = Periodic(name=name, cron=cron, task=task, label=label or name)
    return task


def periodic(*, cron: str, name: str, label=None):
    """Decorator over a django-tasks `@task()`: run it on the cron schedule `cron`, once per period."""

    def decorate(task: Task) -> Task:
        return register(task, cron=cron, name=name, label=label)

    return decorate


def unregister(name: str) -> None:
    """Remove a declaration (tests that declare their own periodic tasks clean up with it)."""
    _REGISTRY.pop(name, None)


def discover() -> None:
    """Import every installed app's `tasks` module once, so that every declaration is known."""
    global _discovered
    if not _discovered:
        autodiscover_modules("tasks")
        _discovered = True


def entries() -> list[Periodic]:
    """Every declared periodic task, by name."""
    discover()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get(name: str) -> Periodic | None:
    discover()
    return _REGISTRY.get(name)


def task_paths() -> frozenset[str]:
    """The import paths of the periodic tasks (to recognise their results among all tasks)."""
    discover()
    return frozenset(p.task_path for p in _REGISTRY.values())
