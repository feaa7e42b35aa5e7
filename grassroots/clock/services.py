"""The clock's actions: one tick of the scheduler, the record of a run's outcome, and housekeeping.

Once per period is a database rule, not a promise of the scheduler: the tick inserts a `PeriodicRun` row for
(task, scheduled moment) under a unique constraint and enqueues the task in the same transaction. Two
schedulers ticking at once both try; the database lets one insert and refuses the other, whose enqueue rolls
back with it. Only the latest moment due is ever claimed, so after downtime a task runs once, not once per
missed period.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.clock import registry
from grassroots.clock.models import PeriodicRun, RunStatus, SchedulerBeat

logger = logging.getLogger("grassroots.clock")

RUN_RETENTION_DAYS = 90
BEAT_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class Enqueued:
    name: str
    slot: datetime
    result_id: str


def tick(*, now: datetime | None = None, scheduler: str | None = None) -> list[Enqueued]:
    """Enqueue every periodic task whose latest scheduled moment (at or before `now`) has not been claimed
    yet; return what this call enqueued. Safe to call from any number of processes at once."""
    now = now or timezone.now()
    if scheduler:
        SchedulerBeat.objects.update_or_create(scheduler=scheduler, defaults={"beat_at": now})
    entries = registry.entries()
    last = dict(
        PeriodicRun.objects.filter(name__in=[e.name for e in entries])
        .values("name")
        .annotate(last=Max("slot"))
        .values_list("name", "last")
    )
    enqueued = []
    for entry in entries:
        slot = entry.latest_slot(now)
        if last.get(entry.name) is not None and last[entry.name] >= slot:
            continue  # this moment (or a later one, if the schedule changed) was claimed already
        claimed = _claim_and_enqueue(entry, slot, now)
        if claimed is not None:
            enqueued.append(claimed)
    return enqueued


def _claim_and_enqueue(entry: registry.Periodic, slot: datetime, now: datetime) -> Enqueued | None:
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(name=entry.name, slot=slot, enqueued_at=now)
            # With the database backend the task row commits (or rolls back) with the claim.
            result = entry.task.enqueue()
            run.result_id = str(result.id)
            _apply(run, result)
            run.save()
    except IntegrityError:
        logger.info("periodic %s at %s: claimed by another scheduler", entry.name, slot.isoformat())
        return None
    logger.info("periodic %s at %s: enqueued as %s", entry.name, slot.isoformat(), run.result_id)
    return Enqueued(name=entry.name, slot=slot, result_id=run.result_id)


def _apply(run: PeriodicRun, result) -> list[str]:
    """Copy a django-tasks result's state onto `run`; returns the fields that changed."""
    status = str(result.status)
    if status == RunStatus.READY:
        return []
    run.status = status
    run.started_at = result.started_at or run.started_at
    fields = ["status", "started_at"]
    if status == RunStatus.SUCCESSFUL:
        run.result = result.return_value
        run.finished_at = result.finished_at
        fields += ["result", "finished_at"]
    elif status == RunStatus.FAILED:
        run.error = (result.errors[-1].exception_class_path if result.errors else "")[:255]
        run.finished_at = result.finished_at
        fields += ["error", "finished_at"]
    return fields


def record(*, result) -> int:
    """Write the state of a periodic task's django-tasks result onto its run (called by the task signals of
    whichever backend runs it). Returns the number of runs updated (0 for any other task)."""
    if result.task.module_path not in registry.task_paths():
        return 0
    run = PeriodicRun.objects.filter(result_id=str(result.id)).first()
    if run is None:
        return 0
    fields = _apply(run, result)
    if fields:
        run.save(update_fields=fields)
    return 1


@transaction.atomic
def prune_runs(*, now: datetime | None = None, retention_days: int = RUN_RETENTION_DAYS) -> dict[str, int]:
    """Delete runs older than `retention_days`, but never a task's latest run (it is what stops the
    scheduler from enqueueing that moment again), and the heartbeats of schedulers silent for a day."""
    now = now or timezone.now()
    latest = PeriodicRun.objects.values("name").annotate(last=Max("slot")).values_list("name", "last")
    deleted = 0
    for name, last in latest:
        cutoff = min(now - timedelta(days=retention_days), last)
        deleted += PeriodicRun.objects.filter(name=name, slot__lt=cutoff).delete()[0]
    beats = SchedulerBeat.objects.filter(beat_at__lt=now - BEAT_RETENTION).delete()[0]
    return {"runs": deleted, "schedulers": beats}


def analyze_database() -> dict[str, object]:
    """SQLite keeps no planner statistics until ANALYZE runs, and without them it picks indexes by guess: at
    tier M the member list searched by status (75,000 of 80,000 rows, each read from the table) where the
    statistics make it start from the street's areas (docs/performance.md, 2026-12-07). `analysis_limit`
    bounds the work to a sample per index (a second or two at tier M). PostgreSQL's autovacuum analyzes by
    itself: nothing to do there."""
    if connection.vendor != "sqlite":
        return {"database": connection.vendor, "analyzed": False}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT COUNT(DISTINCT tbl) FROM sqlite_stat1")
        (tables,) = cursor.fetchone()
    return {"database": "sqlite", "analyzed": True, "tables": tables}
