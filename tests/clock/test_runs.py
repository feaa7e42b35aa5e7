"""What became of each run: the worker (or any backend) runs the task and its outcome — success with the
returned summary, or failure with the exception — is written onto the run through django-tasks' signals."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from grassroots.clock import registry, services
from tests.clock import jobs
from tests.clock.conftest import bj, runs

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every queued task, then stop."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_them_and_each_outcome_is_kept(declare, time_machine):
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    declare(jobs.broken, cron="5 8 * * *", name="test.broken")
    time_machine.move_to(bj(2026, 3, 10, 8, 6), tick=False)
    services.tick()
    assert {run.status for name in ("test.tally", "test.broken") for run in runs(name)} == {"READY"}
    run_worker()
    tally, broken = runs("test.tally")[0], runs("test.broken")[0]
    assert (tally.status, tally.result, tally.error) == ("SUCCESSFUL", {"ran": True}, "")
    assert tally.started_at == tally.finished_at == bj(2026, 3, 10, 8, 6)
    assert (broken.status, broken.result, broken.error) == ("FAILED", None, "builtins.RuntimeError")
    # The platform's own periodic tasks ran too (on an empty database) and succeeded.
    for entry in registry.entries():
        if not entry.name.startswith("test."):
            assert [run.status for run in runs(entry.name)] == ["SUCCESSFUL"], entry.name
    assert runs("duties.remind")[0].result == {"reminded": 0, "overdue": 0}


def test_with_a_backend_that_runs_at_once_the_outcome_is_kept_too(db, declare, settings, time_machine):
    settings.TASKS = IMMEDIATE
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    time_machine.move_to(bj(2026, 3, 10, 8, 0, 5), tick=False)
    services.tick()
    [run] = runs("test.tally")
    assert (run.status, run.result, run.finished_at) == (
        "SUCCESSFUL",
        {"ran": True},
        bj(2026, 3, 10, 8, 0, 5),
    )
    services.tick()
    assert len(runs("test.tally")) == 1


def test_other_tasks_leave_the_runs_alone(db, declare, settings):
    settings.TASKS = IMMEDIATE
    result = jobs.tally.enqueue()  # not through the clock (tally is not declared here)
    assert services.record(result=result) == 0
