"""`make run`'s scripts/serve.sh, for real: the web server, the worker and the clock start; killing the
worker (or the clock) leaves the web server answering and a new worker (clock) appears; the clock's tasks
are queued and run; a Ctrl-C stops every process. Against a copy of the test database in a file."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="serve.sh is the SQLite demo setup")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group(pgid: int) -> dict[int, str]:
    """{pid: command line} of the live processes in process group `pgid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
    return found


def the(pgid: int, command: str) -> int | None:
    """The pid of the python process running `manage.py <command>` in the group, if one runs."""
    pids = [pid for pid, line in group(pgid).items() if f"manage.py {command}" in line and "python" in line]
    assert len(pids) <= 1, pids
    return pids[0] if pids else None


def healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status
    except OSError:
        return 0


def until(condition, what: str, log: Path, timeout: float = 300):
    """Wait for `condition()` to be true (the machine may be busy: starting Django takes seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}; serve.sh said:\n{log.read_text()[-3000:]}")


def ran(database: Path, before: frozenset[str] = frozenset()) -> dict[str, str]:
    """{result id: task path} of the periodic tasks that ran successfully (leaving out the results in
    `before`), once each of the clock's runs has (else {})."""
    with sqlite3.connect(database, timeout=30) as db:
        runs = {status for (status,) in db.execute("SELECT status FROM clock_periodicrun")}
        done = dict(
            db.execute(
                "SELECT id, task_path FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
            )
        )
    if runs != {"SUCCESSFUL"}:
        return {}
    return {result: path for result, path in done.items() if result not in before}


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_or_clock_comes_back_and_the_web_runs_on(tmp_path):
    database = tmp_path / "serve.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)  # the migrated test database
    target.close()
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "PY": sys.executable,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "GRASSROOTS_VAR_DIR": str(tmp_path / "var"),
        "BACKUP_KEEP": "0",  # the clock's nightly backup is not what this test is about
    }
    logfile = tmp_path / "serve.log"
    log = logfile.open("w")
    serve = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As from a terminal: SIGINT at its default. A pytest-xdist worker ignores SIGINT, and a signal
        # ignored when bash starts cannot be trapped, so serve.sh would never hear the Ctrl-C below.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    pgid = serve.pid
    try:
        until(lambda: healthz(port) == 200, "the web server", logfile)
        worker = until(lambda: the(pgid, "db_worker"), "the worker", logfile)
        clock = until(lambda: the(pgid, "scheduler"), "the clock", logfile)
        web = the(pgid, "runserver")
        # The clock queues the periodic tasks and the worker runs them (all of them: a worker killed in the
        # middle of a task would leave it running for ever, which is not what this test is about).
        first = until(lambda: ran(database), "the periodic tasks to run", logfile)

        os.kill(worker, signal.SIGKILL)
        assert healthz(port) == 200
        new_worker = until(
            lambda: (pid := the(pgid, "db_worker")) and pid != worker and pid, "a new worker", logfile
        )
        os.kill(clock, signal.SIGKILL)
        until(lambda: (pid := the(pgid, "scheduler")) and pid != clock, "a new clock", logfile)
        assert healthz(port) == 200 and the(pgid, "runserver") == web and the(pgid, "db_worker") == new_worker

        # The new clock and the new worker work: with the runs forgotten, every task is queued and run again.
        # (Counted by task, not in total: a task due every few minutes may have run once more meanwhile.)
        with sqlite3.connect(database, timeout=30) as db:
            before = frozenset(
                result for (result,) in db.execute("SELECT id FROM django_tasks_database_dbtaskresult")
            )
            db.execute("DELETE FROM clock_periodicrun")
        until(
            lambda: set(ran(database, before).values()) >= set(first.values()),
            "the new clock and worker to run the tasks again",
            logfile,
        )

        os.killpg(pgid, signal.SIGINT)  # Ctrl-C in the terminal: to the whole foreground group
        try:
            serve.wait(timeout=120)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"serve.sh runs on 120 s after Ctrl-C; group: {group(pgid)}\n{logfile.read_text()[-3000:]}"
            ) from None
        until(lambda: not group(pgid), "every process to stop", logfile, timeout=120)
    finally:
        if serve.poll() is None or group(pgid):
            os.killpg(pgid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "the worker stopped (exit -9)" in output or "the worker stopped (exit 137)" in output, output
    assert "the clock stopped" in output and "the web server stopped" not in output, output
