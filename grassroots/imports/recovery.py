"""The stale-job check: an import left validating or writing by a run that died is found and resumed, or
failed after `IMPORTS_MAX_ATTEMPTS` runs, by itself.

A job is abandoned when its runner (`host:pid:nonce`, runner.py) ran on this host and its process is gone,
or when its last heartbeat (saved with the validation progress, and when writing starts) is older than
`IMPORTS_STALE_AFTER` seconds (30 minutes: the write phase of 100,000 members takes well under a minute).
Nothing of an abandoned job was written — its final state is committed with its rows — so running it
again is safe. Taking a job over is a conditional UPDATE of the job as it was read; a live writer holds
the job row until it commits (on PostgreSQL the check does not wait for it: NOWAIT), so a slow but live
run is never written twice.

Called by the job page (a user watching a job sees it recovered within a second) and by
`manage.py recover_imports` (every few minutes from cron, see docs/operations.md).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.imports.models import ImportJob, JobStatus
from grassroots.imports.xlsx import RowError

logger = logging.getLogger(__name__)

STALE_AFTER = 30 * 60
MAX_ATTEMPTS = 3
RUNNING = (JobStatus.VALIDATING, JobStatus.WRITING)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "IMPORTS_STALE_AFTER", STALE_AFTER))


def max_attempts() -> int:
    return getattr(settings, "IMPORTS_MAX_ATTEMPTS", MAX_ATTEMPTS)


def runner_alive(runner: str) -> bool | None:
    """Whether the run's process still exists: True or False when it ran on this host, None when unknown
    (another host, or no runner)."""
    host, _sep, rest = (runner or "").partition(":")
    pid = rest.partition(":")[0]
    if not host or host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def abandoned(job: ImportJob) -> bool:
    if job.status not in RUNNING:
        return False
    if runner_alive(job.runner) is False:
        return True
    last = job.heartbeat_at or job.started_at or job.created_at
    return last is not None and last < timezone.now() - stale_after()


def recover(job: ImportJob, *, notify: bool = True) -> str | None:
    """Resume (back to pending, enqueued) or fail an abandoned job. Returns "resumed", "failed", "busy"
    (the database or the job row is held by a live writer: try later), or None when the job was not
    abandoned or another process changed it first."""
    if not abandoned(job):
        logger.info("import %s (runner %s) is not abandoned", job.pk, job.runner)
        return None
    now = timezone.now()
    if job.attempts >= max_attempts():
        message = _("处理此文件的后台进程已中断 %(n)s 次，未写入任何数据；请检查文件后重新上传。") % {
            "n": job.attempts
        }
        outcome = "failed"
        fields = {
            "status": JobStatus.FAILED,
            "errors": [RowError("", 0, "", message).as_dict()],
            "error_count": 1,
            "finished_at": now,
        }
    else:
        message = _(
            "处理此文件的进程意外中止（未写入任何数据），已于 %(time)s 自动重新开始（第 %(n)s 次处理）。"
        ) % {
            "time": f"{timezone.localtime(now):%H:%M}",
            "n": job.attempts + 1,
        }
        outcome = "resumed"
        fields = {"status": JobStatus.PENDING, "processed_rows": 0}
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":  # a live writer holds the row: leave it alone
                list(ImportJob.objects.select_for_update(nowait=True).filter(pk=job.pk).values_list("pk"))
            changed = ImportJob.objects.filter(pk=job.pk, status=job.status, runner=job.runner).update(
                runner="", recovery=message[:255], **fields
            )
            if changed and outcome == "resumed":
                from grassroots.imports.tasks import run_import

                transaction.on_commit(lambda: run_import.enqueue(job.pk))
    except DatabaseError:
        logger.warning("import %s is locked by a live run; not recovered", job.pk, exc_info=True)
        return "busy"
    if not changed:
        return None
    logger.warning("import %s was abandoned by %s: %s", job.pk, job.runner or "?", outcome)
    job.refresh_from_db()
    if notify and outcome == "failed":
        from grassroots.imports.runner import _notify_import

        _notify_import(job)
    return outcome


def recover_stale_imports() -> dict[int, str]:
    """Check every running job; {job id: "resumed" | "failed" | "busy"} for those it acted on."""
    done = {}
    for job in ImportJob.objects.filter(status__in=RUNNING).select_related("created_by").order_by("pk"):
        outcome = recover(job)
        if outcome:
            done[job.pk] = outcome
    return done
