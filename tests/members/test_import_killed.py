"""An import killed half-way leaves nothing written. A real process runs the real import against a
database on disk (SQLite: a copy of the test database in a file; PostgreSQL: the test database itself), is
stopped by a receiver of `batch_written` — after its first batch, or after its last, when every row is in
but not committed — and is killed with SIGKILL. Then not one row is in the database and the job is still
writing (its final state is committed with the rows); the job, run again, writes them all, once: a second
`--retry` changes nothing, and the stale-job check finds a job whose process died. Members and areas."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from grassroots.areas.models import Area
from grassroots.core.members.models import Member
from grassroots.core.members.transfer.write import BATCH
from grassroots.imports.models import ImportJob
from tests.factories import make_party_org
from tests.imports.helpers import build_xlsx, id_number, members_xlsx, row

ROOT = Path(__file__).resolve().parents[2]
ROWS = BATCH + 500  # more than one batch: the kill comes after the first, before the last

PAUSE_SCRIPT = """
import os, sys, time
import django

os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
django.setup()

from grassroots.areas.models import Area
from grassroots.core.members.models import Member
from grassroots.imports.runner import run_import_job
from grassroots.imports.signals import batch_written


def pause(sender, job, done, total, **kwargs):
    if sys.argv[3] == "last" and done < total:
        return
    inside = Member.objects.count() if job.kind == "members" else Area.objects.count()  # in the transaction
    with open(sys.argv[2], "w") as marker:
        marker.write(f"{done} {total} {inside}")
    time.sleep(600)  # wait here to be killed


batch_written.connect(pause)
job = run_import_job(job_id=int(sys.argv[1]))
print(job.status, job.errors[:3])  # only reached when the import did not pause
"""


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """A URL for a child process to reach the data of this test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "killed.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)  # the (in-memory) test database, committed rows included
        target.close()
        return f"sqlite:///{path}", path
    user = settings["USER"] or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}", None


def _count(path: Path | None, table: str) -> int:
    if path is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            return cursor.fetchone()[0]
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _job_status(path: Path | None, pk: int) -> str:
    if path is None:
        return ImportJob.objects.get(pk=pk).status
    with sqlite3.connect(path) as db:
        return db.execute("SELECT status FROM imports_importjob WHERE id = ?", [pk]).fetchone()[0]


def _manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _kill_while_writing(
    job: ImportJob, tmp_path: Path, at: str
) -> tuple[tuple[int, int, int], Path | None, dict]:
    """Run `job` in a child process that stops in its write transaction (after the first or the last batch)
    and SIGKILL it there. Returns (done, total, rows inside the transaction), the SQLite file, the env."""
    url, sqlite_path = _database_url(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GRASSROOTS_VAR_DIR": str(tmp_path / "var"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever the virtualenv has installed
    }
    script = tmp_path / "pause.py"
    script.write_text(PAUSE_SCRIPT)
    marker = tmp_path / "marker"
    output = tmp_path / "child.log"
    with output.open("w") as log:
        child = subprocess.Popen(
            [sys.executable, str(script), str(job.pk), str(marker), at],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 180
        while not (marker.exists() and marker.read_text()) and child.poll() is None:
            assert time.monotonic() < deadline, "the import never reached its write phase"
            time.sleep(0.1)
        assert child.poll() is None, "the import finished instead of pausing: " + output.read_text()
        seen = tuple(int(x) for x in marker.read_text().split())
        child.send_signal(signal.SIGKILL)  # a real kill, mid-transaction
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    return seen, sqlite_path, env


def _import_job(cast, tree, kind: str, content: bytes, name: str) -> ImportJob:
    """An upload by the street official, recorded as the page records it."""
    return ImportJob.objects.create(
        kind=kind,
        created_by=cast.street_a,
        file=ContentFile(content, name=name),
        original_name=name,
        area_path=tree.street_a.path,
    )


def _members_job(cast, tree) -> ImportJob:
    """ROWS new members of one branch."""
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    content = members_xlsx([row(f"党员{i}", id_number(), branch.name) for i in range(ROWS)])
    return _import_job(cast, tree, "members", content, "big.xlsx")


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_after_writing_every_row_is_not_done_until_run_again_once(
    cast, tree, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    job = _members_job(cast, tree)
    (done, total, inside), sqlite_path, env = _kill_while_writing(job, tmp_path, "last")
    assert (done, total, inside) == (ROWS, ROWS, ROWS)  # every row was in, not yet committed
    assert _count(sqlite_path, "members_member") == 0
    assert _job_status(sqlite_path, job.pk) == "writing"  # not done: the final state goes with the rows

    # The stale-job check finds it (its process is gone) and puts it back in the worker's queue.
    recovered = _manage(env, "recover_imports", "-v", "2")
    assert recovered.splitlines()[0] == f"{job.pk} resumed", recovered
    assert _job_status(sqlite_path, job.pk) == "pending"
    assert " done " in _manage(env, "run_import_job", str(job.pk))  # what the worker does
    assert _job_status(sqlite_path, job.pk) == "done"
    assert _count(sqlite_path, "members_member") == ROWS
    _manage(env, "run_import_job", str(job.pk), "--retry")  # a retry of a done job changes nothing
    assert _job_status(sqlite_path, job.pk) == "done"
    assert _count(sqlite_path, "members_member") == ROWS


@pytest.mark.django_db(transaction=True)
def test_an_areas_import_killed_after_writing_is_written_once_by_retries(cast, tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    rows = [[None, f"第{i}网格", "网格", None, None, tree.community_a.code] for i in range(2, 40)]
    content = build_xlsx({"区域": [["编号", "名称", "层级", "区划代码", "上级编号", "上级区划代码"], *rows]})
    job = _import_job(cast, tree, "areas", content, "areas.xlsx")
    before = Area.objects.count()
    (done, total, inside), sqlite_path, env = _kill_while_writing(job, tmp_path, "last")
    assert (done, total, inside) == (38, 38, before + 38)
    assert _count(sqlite_path, "areas_area") == before
    assert _job_status(sqlite_path, job.pk) == "writing"
    _manage(env, "run_import_job", str(job.pk), "--retry")
    _manage(env, "run_import_job", str(job.pk), "--retry")
    assert _job_status(sqlite_path, job.pk) == "done"
    assert _count(sqlite_path, "areas_area") == before + 38  # written once


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_leaves_nothing_written(cast, tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"  # the child's: GRASSROOTS_VAR_DIR below
    job = _members_job(cast, tree)
    (done, total, inside), sqlite_path, env = _kill_while_writing(job, tmp_path, "first")
    assert (done, total) == (BATCH, ROWS) and inside == BATCH  # half-way: the first batch was in

    assert _count(sqlite_path, "members_member") == 0
    assert _count(sqlite_path, "members_member_tags") == 0
    assert _job_status(sqlite_path, job.pk) == "writing"  # left by the killed process: nothing written

    # The job runs again (the worker's command with --retry) and writes every row.
    _manage(env, "run_import_job", str(job.pk), "--retry")
    assert _count(sqlite_path, "members_member") == ROWS
    assert _job_status(sqlite_path, job.pk) == "done"
    if sqlite_path is None:
        assert Member.objects.filter(branch__name="桥楼社区第一党支部").count() == ROWS
