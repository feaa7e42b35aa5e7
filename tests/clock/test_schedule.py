"""The clock enqueues each periodic task once per period: a tick claims the latest moment due with a unique
row and enqueues the task with it; later ticks in the same period find the row; after downtime only the
latest moment is claimed. Time is pinned with time-machine; the queue is the real database backend."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, transaction

from grassroots.clock import registry, services
from grassroots.clock.models import PeriodicRun
from tests.clock import jobs
from tests.clock.conftest import BEIJING, bj, queued, runs

PLATFORM = {
    "imports.recover",
    "files.purge",
    "audit.prune",
    "audit.verify_chain",
    "duties.remind",
    "orglife.remind",
    "members.remind_conversions",
    "clock.prune_runs",
    "clock.analyze",
    "operations.backup",
}


def test_every_periodic_task_of_the_platform_is_declared_next_to_its_task():
    declared = {entry.name: entry for entry in registry.entries()}
    assert set(declared) >= PLATFORM
    assert declared["audit.prune"].task_path == "grassroots.audit.tasks.prune_audit"
    assert declared["audit.verify_chain"].task_path == "grassroots.audit.tasks.verify_audit_chain"
    assert declared["duties.remind"].task_path == "grassroots.core.duties.tasks.remind_duty_assignments"
    assert declared["orglife.remind"].task_path == "grassroots.core.orglife.tasks.remind_orglife_due"
    assert (
        declared["members.remind_conversions"].task_path
        == "grassroots.core.members.tasks.remind_conversions_due"
    )
    assert str(declared["duties.remind"].label) == "任务截止提醒与逾期通知"


def test_moments_are_read_in_beijing_time(declare):
    entry = declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    # 00:30 UTC is 08:30 in Beijing: today's 08:00 has passed, tomorrow's is next.
    now = bj(2026, 3, 10, 8, 30)
    assert entry.latest_slot(now) == bj(2026, 3, 10, 8, 0)
    assert entry.next_slot(now) == bj(2026, 3, 11, 8, 0)
    # A moment exactly on the schedule is due at once.
    assert entry.latest_slot(bj(2026, 3, 10, 8, 0)) == bj(2026, 3, 10, 8, 0)
    assert entry.latest_slot(bj(2026, 3, 10, 7, 59, 59)) == bj(2026, 3, 9, 8, 0)
    assert entry.latest_slot(bj(2026, 3, 10, 8, 0)).utcoffset() == timedelta(hours=8)


def test_a_declaration_needs_a_task_and_a_five_field_cron(declare):
    with pytest.raises(ImproperlyConfigured, match="above @task"):
        registry.register(jobs.tally.func, cron="0 8 * * *", name="test.bad")
    for cron in ("61 8 * * *", "every day", "0 0 8 * * *"):
        with pytest.raises(ImproperlyConfigured, match="cron"):
            registry.register(jobs.tally, cron=cron, name="test.bad")
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.register(jobs.broken, cron="0 8 * * *", name="test.tally")
    assert registry.get("test.bad") is None


def test_a_task_is_enqueued_once_per_period(db, declare, time_machine):
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    time_machine.move_to(bj(2026, 3, 10, 7, 59), tick=False)
    # The first tick catches up the latest moment already past (yesterday's 08:00), once.
    assert [r.name for r in services.tick() if r.name == "test.tally"] == ["test.tally"]
    assert [r.slot for r in runs("test.tally")] == [bj(2026, 3, 9, 8, 0)]
    assert not [r for r in services.tick() if r.name == "test.tally"]
    # 08:00 today: one more run; ticking on through the day adds none.
    for moment in (
        bj(2026, 3, 10, 8, 0, 20),
        bj(2026, 3, 10, 8, 0, 50),
        bj(2026, 3, 10, 12, 0),
        bj(2026, 3, 11, 7, 59),
    ):
        time_machine.move_to(moment, tick=False)
        services.tick()
    assert [r.slot for r in runs("test.tally")] == [bj(2026, 3, 9, 8, 0), bj(2026, 3, 10, 8, 0)]
    assert queued(jobs.tally) == 2
    run = runs("test.tally")[-1]
    assert run.status == "READY" and run.enqueued_at == bj(2026, 3, 10, 8, 0, 20) and run.result_id


def test_missed_periods_after_downtime_run_once_not_once_each(db, declare, time_machine):
    declare(jobs.tally, cron="0 * * * *", name="test.hourly")
    time_machine.move_to(bj(2026, 3, 10, 8, 1), tick=False)
    services.tick()
    # Down for five days (120 hourly moments missed): the next tick enqueues the latest moment only.
    time_machine.move_to(bj(2026, 3, 15, 9, 30), tick=False)
    services.tick()
    services.tick()
    assert [r.slot for r in runs("test.hourly")] == [bj(2026, 3, 10, 8, 0), bj(2026, 3, 15, 9, 0)]
    assert queued(jobs.tally) == 2


def test_a_moment_already_claimed_cannot_be_claimed_again(db, declare):
    """The rule is the database's: a second row for the same task and moment is refused."""
    PeriodicRun.objects.create(name="test.tally", slot=bj(2026, 3, 10, 8, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(name="test.tally", slot=bj(2026, 3, 10, 8, 0))


def test_a_tick_that_loses_the_race_enqueues_nothing(db, declare, time_machine):
    """Another scheduler claimed the moment between this tick's read and its insert: the insert is refused
    and the task it enqueued in the same transaction is rolled back with it."""
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    slot = bj(2026, 3, 10, 8, 0)
    time_machine.move_to(slot + timedelta(minutes=1), tick=False)
    PeriodicRun.objects.create(name="test.tally", slot=slot)  # the other scheduler's claim
    assert services._claim_and_enqueue(registry.get("test.tally"), slot, slot) is None
    assert queued(jobs.tally) == 0
    assert len(runs("test.tally")) == 1


def test_a_schedule_moved_earlier_does_not_run_the_day_twice(db, declare, time_machine):
    declare(jobs.tally, cron="0 9 * * *", name="test.tally")
    time_machine.move_to(bj(2026, 3, 10, 9, 5), tick=False)
    services.tick()
    registry.unregister("test.tally")
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")  # moved from 09:00 to 08:00
    services.tick()
    assert [r.slot for r in runs("test.tally")] == [bj(2026, 3, 10, 9, 0)]
    time_machine.move_to(bj(2026, 3, 11, 8, 0), tick=False)
    services.tick()
    assert [r.slot for r in runs("test.tally")][-1] == bj(2026, 3, 11, 8, 0)


def test_old_runs_are_pruned_but_never_a_tasks_latest(db, declare, time_machine):
    declare(jobs.tally, cron="0 0 1 1 *", name="test.yearly")
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    time_machine.move_to(bj(2025, 1, 1, 0, 5), tick=False)
    services.tick()
    for day in range(1, 4):
        time_machine.move_to(bj(2025, 1, day, 8, 5), tick=False)
        services.tick()
    time_machine.move_to(bj(2025, 12, 1), tick=False)
    outcome = services.prune_runs()
    assert outcome["runs"] >= 2  # the daily task's first two days
    # The yearly run is 11 months old but still its latest: pruning it would let the moment run again.
    assert [r.slot for r in runs("test.yearly")] == [bj(2025, 1, 1, 0, 0)]
    assert [r.slot for r in runs("test.tally")] == [bj(2025, 1, 3, 8, 0)]
    services.tick()
    assert len(runs("test.yearly")) == 1


def test_the_command_ticks_once(db, declare, time_machine, capsys):
    declare(jobs.tally, cron="*/15 * * * *", name="test.quarterly")
    time_machine.move_to(bj(2026, 3, 10, 10, 20), tick=False)
    call_command("scheduler", "--once")
    assert "enqueued test.quarterly (10:15)" in capsys.readouterr().out
    call_command("scheduler", "--once")
    assert "test.quarterly" not in capsys.readouterr().out
    assert [r.slot.astimezone(BEIJING).strftime("%H:%M") for r in runs("test.quarterly")] == ["10:15"]
