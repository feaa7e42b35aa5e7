"""Two (or eight) schedulers ticking at the same moment enqueue each task once: with real threads and
connections on PostgreSQL, and with real processes on SQLite (a file, as in production) and PostgreSQL."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from grassroots.clock import registry, services
from grassroots.clock.models import PeriodicRun
from tests.clock import jobs
from tests.clock.conftest import bj, queued, runs

ROOT = Path(__file__).resolve().parents[2]

SCHEDULER_SCRIPT = """
import os, sys, time
from datetime import datetime
sys.path.insert(0, os.getcwd())  # this checkout, not whichever one the environment installed
import django

os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
django.setup()
import time_machine
from django.core.management import call_command

go = sys.argv[2]
open(sys.argv[3], "w").close()  # ready
while not os.path.exists(go):
    time.sleep(0.002)
with time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=False):
    call_command("scheduler", "--once")
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_eight_schedulers_in_threads_enqueue_once(declare):
    declare(jobs.tally, cron="0 8 * * *", name="test.tally")
    now = bj(2026, 3, 10, 8, 0, 1)
    barrier = threading.Barrier(8)
    enqueued: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def scheduler(n: int) -> None:
        try:
            barrier.wait()
            names = [run.name for run in services.tick(now=now, scheduler=f"test:{n}")]
            with lock:
                enqueued.extend(names)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert enqueued.count("test.tally") == 1
    assert [r.slot for r in runs("test.tally")] == [bj(2026, 3, 10, 8, 0)]
    assert queued(jobs.tally) == 1
    # Every platform task too: one run and one queued task each.
    for entry in registry.entries():
        assert enqueued.count(entry.name) == 1, entry.name
        assert queued(entry.task) == 1, entry.name


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """A URL for the child processes to reach this test's database (SQLite: a copy in a file)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "clock.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", path
    user = settings["USER"] or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}", None


def _counts(path: Path | None) -> tuple[dict[str, int], dict[str, int]]:
    """(runs per task name, queued tasks per task path) as the children left them."""
    runs_sql = "SELECT name, COUNT(*) FROM clock_periodicrun GROUP BY name"
    queued_sql = "SELECT task_path, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY task_path"
    if path is None:
        with connection.cursor() as cursor:
            cursor.execute(runs_sql)
            per_name = dict(cursor.fetchall())
            cursor.execute(queued_sql)
            return per_name, dict(cursor.fetchall())
    with sqlite3.connect(path) as db:
        return dict(db.execute(runs_sql).fetchall()), dict(db.execute(queued_sql).fetchall())


@pytest.mark.django_db(transaction=True)
def test_four_scheduler_processes_at_one_moment_enqueue_each_task_once(tmp_path):
    url, sqlite_path = _database_url(tmp_path)
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "GRASSROOTS_VAR_DIR": str(tmp_path / "var")}
    script = tmp_path / "scheduler.py"
    script.write_text(SCHEDULER_SCRIPT)
    go = tmp_path / "go"
    children = []
    for n in range(4):
        log = (tmp_path / f"child{n}.log").open("w")
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(script),
                    "2026-03-10T08:00:30+08:00",
                    str(go),
                    str(tmp_path / f"ready{n}"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        deadline = time.monotonic() + 240
        while not all((tmp_path / f"ready{n}").exists() for n in range(4)):
            assert time.monotonic() < deadline, "the schedulers never started"
            assert all(child.poll() is None for child in children), (tmp_path / "child0.log").read_text()
            time.sleep(0.05)
        go.touch()  # all four tick at once
        for child in children:
            child.wait(timeout=120)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    logs = "\n".join((tmp_path / f"child{n}.log").read_text() for n in range(4))
    assert all(child.returncode == 0 for child in children), logs
    per_name, per_path = _counts(sqlite_path)
    # The command's own lines ("2026-03-10 08:00:30 enqueued duties.remind (08:00)"): one per task in all.
    assert len(re.findall(r"\d\d:\d\d:\d\d enqueued ", logs)) == len(registry.entries()) > 0, logs
    for entry in registry.entries():
        assert per_name.get(entry.name) == 1, (entry.name, logs)
        assert per_path.get(entry.task_path) == 1, (entry.name, logs)
    if sqlite_path is None:
        assert PeriodicRun.objects.count() == len(registry.entries())
