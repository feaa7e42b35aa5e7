"""The stale-job check: an import left validating or writing by a run that died — or a background export left
writing — is found and resumed, or failed after `IMPORTS_MAX_ATTEMPTS` runs, by itself. An export writes
nothing but its file, so running it again is always safe.

A job is abandoned when its runner (`host:pid:nonce`, runner.py) ran on this host and its process is gone,
or when its last heartbeat (saved with the validation progress, and when writing starts) is older than
`IMPORTS_STALE_AFTER` seconds (30 minutes: the write phase of 100,000 members takes well under a minute).
Nothing of an abandoned job was written — its final state is committed with its rows — so running it
again is safe. Taking a job over is a conditional UPDATE of the job as it was read; a live writer holds
the job row until it commits (on PostgreSQL the check does not wait for it: NOWAIT), so a slow but live
run is never written twice.

Called by the job pages (a user watching a job sees it recovered within a second), by the clock every 5
minutes (`imports.recover`) and by `manage.py recover_imports`.
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

from grassroots.imports.models import ExportJob, ImportJob, JobStatus
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


def _plan(job, now) -> tuple[str, str, dict]:
    """What recovery makes of an abandoned job: ("failed" | "resumed", the message, the fields to set)."""
    export = isinstance(job, ExportJob)
    if job.attempts >= max_attempts():
        if export:
            message = _("生成此导出文件的后台进程已中断 %(n)s 次，导出失败；请重新导出。")
        else:
            message = _("处理此文件的后台进程已中断 %(n)s 次，未写入任何数据；请检查文件后重新上传。")
        message %= {"n": job.attempts}
        if export:
            fields = {"status": JobStatus.FAILED, "error": message, "finished_at": now}
        else:
            errors = [RowError("", 0, "", message).as_dict()]
            fields = {"status": JobStatus.FAILED, "errors": errors, "error_count": 1, "finished_at": now}
        return "failed", message, fields
    if export:
        message = _("生成此导出文件的进程意外中止，已于 %(time)s 自动重新开始（第 %(n)s 次生成）。")
    else:
        message = _(
            "处理此文件的进程意外中止（未写入任何数据），已于 %(time)s 自动重新开始（第 %(n)s 次处理）。"
        )
    message %= {"time": f"{timezone.localtime(now):%H:%M}", "n": job.attempts + 1}
    return "resumed", message, {"status": JobStatus.PENDING, "processed_rows": 0}


def _enqueue(job) -> None:
    from grassroots.imports.tasks import run_export, run_import

    (run_export if isinstance(job, ExportJob) else run_import).enqueue(job.pk)


def _notify_failed(job) -> None:
    from grassroots.imports.runner import _notify_import, notify_export

    (notify_export if isinstance(job, ExportJob) else _notify_import)(job)


def recover(job, *, notify: bool = True) -> str | None:
    """Resume (back to pending, enqueued) or fail an abandoned job (an ImportJob or an ExportJob). Returns
    "resumed", "failed", "busy" (the database or the job row is held by a live writer: try later), or None
    when the job was not abandoned or another process changed it first."""
    kind = job._meta.model_name
    if not abandoned(job):
        logger.info("%s %s (runner %s) is not abandoned", kind, job.pk, job.runner)
        return None
    outcome, message, fields = _plan(job, timezone.now())
    model = type(job)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":  # a live writer holds the row: leave it alone
                list(model.objects.select_for_update(nowait=True).filter(pk=job.pk).values_list("pk"))
            changed = model.objects.filter(pk=job.pk, status=job.status, runner=job.runner).update(
                runner="", recovery=message[:255], **fields
            )
            if changed and outcome == "resumed":
                transaction.on_commit(lambda: _enqueue(job))
    except DatabaseError:
        logger.warning("%s %s is locked by a live run; not recovered", kind, job.pk, exc_info=True)
        return "busy"
    if not changed:
        return None
    logger.warning("%s %s was abandoned by %s: %s", kind, job.pk, job.runner or "?", outcome)
    job.refresh_from_db()
    if notify and outcome == "failed":
        _notify_failed(job)
    return outcome


def recover_stale(model) -> dict[int, str]:
    """Check every running job of `model`; {job id: "resumed" | "failed" | "busy"} for those it acted on."""
    done = {}
    for job in model.objects.filter(status__in=RUNNING).select_related("created_by").order_by("pk"):
        outcome = recover(job)
        if outcome:
            done[job.pk] = outcome
    return done


def recover_stale_imports() -> dict[int, str]:
    return recover_stale(ImportJob)


def recover_stale_exports() -> dict[int, str]:
    return recover_stale(ExportJob)
