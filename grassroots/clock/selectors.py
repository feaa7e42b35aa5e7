"""Reads of the clock page: each periodic task with its last run and next moment, the recent runs, the
schedulers' heartbeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Max, Q

from grassroots.clock import registry
from grassroots.clock.models import PeriodicRun, RunStatus, SchedulerBeat

PERMISSION = "clock.view"
# A scheduler ticks at least every 30 s: one silent for two minutes is taken for stopped.
ALIVE = timedelta(minutes=2)
# A run queued this long has not found a worker.
WAITING_LONG = timedelta(minutes=10)
HISTORY = 50


@dataclass(frozen=True)
class TaskRow:
    entry: registry.Periodic
    last: PeriodicRun | None
    next_due: datetime
    missed: bool  # a moment is due that no scheduler has claimed: no scheduler runs
    waiting: bool  # the last run is still queued after WAITING_LONG: no worker runs


def tasks(now: datetime) -> list[TaskRow]:
    """Every declared periodic task with its latest run (two queries)."""
    entries = registry.entries()
    latest = (
        PeriodicRun.objects.filter(name__in=[e.name for e in entries])
        .values("name")
        .annotate(last=Max("slot"))
        .values_list("name", "last")
    )
    pairs = [Q(name=name, slot=slot) for name, slot in latest]
    runs = {run.name: run for run in PeriodicRun.objects.filter(reduce(or_, pairs))} if pairs else {}
    rows = []
    for entry in entries:
        last = runs.get(entry.name)
        rows.append(
            TaskRow(
                entry=entry,
                last=last,
                next_due=entry.next_slot(now),
                missed=last is None or last.slot < entry.latest_slot(now),
                waiting=last is not None
                and last.status == RunStatus.READY
                and now - last.enqueued_at > WAITING_LONG,
            )
        )
    return rows


def history(limit: int = HISTORY) -> list[PeriodicRun]:
    return list(PeriodicRun.objects.order_by("-enqueued_at", "name")[:limit])


def schedulers(now: datetime) -> tuple[list[SchedulerBeat], bool]:
    """The known schedulers (latest first) and whether any ticked within ALIVE."""
    beats = list(SchedulerBeat.objects.order_by("-beat_at")[:10])
    return beats, any(now - beat.beat_at <= ALIVE for beat in beats)
