"""Run import and export jobs.

Import, all or nothing:
1. validating — the importer reads and checks every row (no transaction, no writes); progress goes to the
   job row. Any bad row: nothing is written, the errors are kept (the first `ImportJob.ERRORS_KEPT`) and
   the rejected rows are written to a workbook with a reason column;
2. writing — otherwise the importer writes everything inside ONE transaction, and the job's final state
   (done, the counts, the notification) is committed in that same transaction: a crash, an error or a
   killed process leaves nothing written and the job at 正在写入, never rows without a done job. Progress
   goes to the cache (see progress.py).

A run owns the job while its token is the job's `runner` (claimed with a conditional UPDATE); every change
it makes to the job is conditional on that, so a retry or the stale-job check (recovery.py) can take a job
over and the old run, if it was still alive, stops without writing (TakenOver).

`start_import` records the upload and runs it while the request waits when the file is small, else enqueues
`grassroots.imports.tasks.run_import` (picked up by `manage.py db_worker`) once the upload commits.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm, scope_paths
from grassroots.areas.subtree import common_ancestor
from grassroots.audit.actor import acting_for_job
from grassroots.imports.models import ExportJob, ImportJob, JobStatus
from grassroots.imports.progress import JobProgress, TakenOver
from grassroots.imports.registry import (
    ImportConflict,
    NoProgress,
    Validation,
    exporter_for,
    importer_for,
)
from grassroots.imports.xlsx import RowError, temporary_file, write_rejected_workbook

logger = logging.getLogger(__name__)

SYNC_MAX_BYTES = 200 * 1024  # files up to this size are imported while the upload request waits
EXPORT_SYNC_MAX_ROWS = 5_000  # exports up to this many rows are sent straight away


def sync_max_bytes(importer_cls) -> int:
    """`<KIND>_IMPORT_SYNC_MAX_BYTES` (e.g. AREAS_IMPORT_SYNC_MAX_BYTES), else the importer's own
    `sync_max_bytes`, else IMPORTS_SYNC_MAX_BYTES (200 KB)."""
    own = getattr(settings, f"{importer_cls.kind.upper()}_IMPORT_SYNC_MAX_BYTES", None)
    if own is not None:
        return own
    if importer_cls.sync_max_bytes is not None:
        return importer_cls.sync_max_bytes
    return getattr(settings, "IMPORTS_SYNC_MAX_BYTES", SYNC_MAX_BYTES)


def export_sync_max_rows() -> int:
    return getattr(settings, "EXPORTS_SYNC_MAX_ROWS", EXPORT_SYNC_MAX_ROWS)


def scope_root(user, permission: str) -> str:
    """The area path the user's scope for `permission` hangs from: their one scope root, or the nearest
    area covering all of them ("" when they have none)."""
    return common_ancestor(scope_paths(user, permission))


# --- imports --------------------------------------------------------------------------------------------
def start_import(*, kind: str, file, actor) -> ImportJob:
    """Record an upload and run it: inline when the file is small, else as a background task enqueued when
    the surrounding transaction commits."""
    importer_cls = importer_for(kind)
    if not has_perm(actor, importer_cls.permission):
        raise PermissionDenied(_("您没有导入%(what)s的权限") % {"what": importer_cls.label})
    job = ImportJob.objects.create(
        kind=kind,
        created_by=actor,
        file=file,
        original_name=str(getattr(file, "name", ""))[:255],
        area_path=scope_root(actor, importer_cls.permission),
    )
    if (getattr(file, "size", 0) or 0) <= sync_max_bytes(importer_cls):
        return run_import_job(job_id=job.pk)
    from grassroots.imports.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def runner_token() -> str:
    """Who runs a job: this host and process (the stale-job check looks for the process, recovery.py),
    and a nonce, so that two runs in one process differ."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:120]


def _claim(job: ImportJob, *, retry: bool) -> str | None:
    """Make this run the job's runner, if the job is still as read: pending (or, with `retry`, validating
    or writing: left by a run that died, or taken over from one that did not). Returns the token, or None.
    A live writer holds the job row inside its transaction, so on PostgreSQL the claim waits for it to
    commit and then finds the job done; on SQLite it waits for the write lock (and gives up after the
    database timeout)."""
    runnable = [JobStatus.PENDING] + ([JobStatus.VALIDATING, JobStatus.WRITING] if retry else [])
    try:
        return _take(job, runnable, JobStatus.VALIDATING)
    except OperationalError:
        logger.warning("import %s is busy (another process is writing); not run", job.pk, exc_info=True)
        return None


def _take(job, runnable: list, status: str) -> str | None:
    """The conditional UPDATE that makes a new run the runner of an import or export job (as read)."""
    token, now = runner_token(), timezone.now()
    claimed = (
        type(job)
        .objects.filter(pk=job.pk, status__in=runnable, runner=job.runner)
        .update(
            status=status,
            runner=token,
            heartbeat_at=now,
            started_at=now,
            processed_rows=0,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


@acting_for_job(ImportJob)  # the uploader is the actor of every row the job writes
def run_import_job(*, job_id: int, retry: bool = False, notify: bool = False) -> ImportJob:
    """Run a recorded import and keep its outcome on the job. A finished job is left as it is: a retry is
    idempotent. `retry=True` takes over a job left validating or writing (by a killed process nothing of
    it was written: its final state is committed with its rows). A run that was taken over stops without
    writing or finishing anything."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    token = _claim(job, retry=retry)
    if token is None:
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    try:
        return _run(job, token, notify=notify)
    except TakenOver:
        logger.warning("import %s was taken over by another run; this run stopped", job.pk)
        job.refresh_from_db()
        return job


def _run(job: ImportJob, token: str, *, notify: bool) -> ImportJob:
    importer_cls = importer_for(job.kind)
    try:
        if not has_perm(job.created_by, importer_cls.permission):
            raise PermissionDenied(_("您没有导入%(what)s的权限") % {"what": importer_cls.label})
        importer = importer_cls(actor=job.created_by)
        progress = JobProgress(job, JobStatus.VALIDATING, sender=importer_cls, runner=token)
        with job.file.open("rb") as handle:
            validation = importer.validate(handle, progress)
    except TakenOver:
        raise
    except PermissionDenied as exc:
        return _finish(job, token, JobStatus.REJECTED, errors=[RowError("", 0, "", str(exc))], notify=notify)
    except Exception:
        logger.exception("import %s failed while validating", job.pk)
        return _fail(job, token, _("导入时发生内部错误，未写入任何数据"), notify=notify)
    if not validation.ok:
        job.validated_at = timezone.now()
        _keep_rejected_rows(job, validation)
        return _finish(
            job,
            token,
            JobStatus.REJECTED,
            errors=validation.errors,
            total=validation.total_rows,
            notify=notify,
        )
    return _write(job, token, importer, validation, notify=notify)


def _write(job: ImportJob, token: str, importer, validation: Validation, *, notify: bool) -> ImportJob:
    total = validation.total_rows
    now = timezone.now()
    _update(
        job,
        token,
        status=JobStatus.WRITING,
        processed_rows=0,
        total_rows=total,
        validated_at=now,
        heartbeat_at=now,
    )
    progress = JobProgress(job, JobStatus.WRITING, total=total, in_transaction=True, sender=type(importer))
    try:
        with transaction.atomic():
            # The job row first: it must still be ours, and it stays locked until commit (PostgreSQL: the
            # row; SQLite: the database), so no other run can claim or finish it while the rows go in.
            _update(job, token, heartbeat_at=timezone.now())
            job.counts = importer.write(validation.plan, progress)
            # The final state in the same transaction as the rows: a job is done exactly when its rows are
            # in, whenever the process dies.
            return _finish(job, token, JobStatus.DONE, total=total, notify=notify)
    except TakenOver:
        raise
    except ImportConflict as exc:
        return _fail(job, token, str(exc), notify=notify)
    except IntegrityError:
        logger.warning("import %s hit a constraint while writing", job.pk, exc_info=True)
        return _fail(
            job,
            token,
            _("写入时与他人同时进行的修改冲突（如同一记录已被他人录入），未写入任何数据，请重新导入"),
            notify=notify,
        )
    except Exception:
        logger.exception("import %s failed while writing", job.pk)
        return _fail(job, token, _("写入时发生内部错误，未写入任何数据"), notify=notify)


def _keep_rejected_rows(job: ImportJob, validation: Validation) -> None:
    if not any(e.row for e in validation.errors):
        return
    with temporary_file() as out:
        with job.file.open("rb") as source:
            write_rejected_workbook(source, validation.errors, out)
        out.seek(0)
        job.rejected_file.save(f"rejected-{job.pk}.xlsx", File(out), save=False)


def _update(job, token: str, **fields) -> None:
    """Change the job's row while this run owns it (else TakenOver), and the instance alike."""
    if not ImportJob.objects.filter(pk=job.pk, runner=token).update(**fields):
        raise TakenOver
    for name, value in fields.items():
        setattr(job, name, value)


def _fail(job: ImportJob, token: str, message: str, *, notify: bool) -> ImportJob:
    return _finish(job, token, JobStatus.FAILED, errors=[RowError("", 0, "", message)], notify=notify)


def _finish(
    job: ImportJob, token: str, status: str, *, errors=(), total: int | None = None, notify: bool = False
) -> ImportJob:
    errors = list(errors)
    total = job.total_rows if total is None else total
    _update(
        job,
        token,
        status=status,
        total_rows=total,
        processed_rows=total if status == JobStatus.DONE else job.processed_rows,
        counts=job.counts,
        error_count=len(errors),
        errors=[e.as_dict() for e in errors[: ImportJob.ERRORS_KEPT]],
        rejected_file=job.rejected_file.name or "",
        validated_at=job.validated_at,
        finished_at=timezone.now(),
    )
    if notify:
        _notify_import(job)  # sent when the transaction commits (with the rows, for a finished import)
    return job


def _notify_import(job: ImportJob) -> None:
    from grassroots.workflow.services import notify

    if job.status == JobStatus.DONE:
        verb = _("导入完成：%(name)s") % {"name": job.original_name}
    else:
        verb = _("导入未写入：%(name)s（%(status)s）") % {
            "name": job.original_name,
            "status": job.get_status_display(),
        }
    notify(recipients=[job.created_by], verb=verb, target=job, url=job.get_absolute_url())


# --- exports --------------------------------------------------------------------------------------------
def start_export(*, kind: str, user, params: dict, unmasked: bool = False, request=None, keep: bool = False):
    """Export what `user` may see for `params`. Small exports: returns (open temporary file, filename) at
    once — or, with `keep` (the API), a done `ExportJob` holding the file; larger ones: records an
    `ExportJob` for the worker and returns it. Either way the export is in the audit log (when the file is
    written)."""
    exporter = _exporter(kind, user=user, params=params, unmasked=unmasked)
    count = exporter.count()
    if count <= export_sync_max_rows():
        handle = temporary_file()
        written = exporter.write(handle, NoProgress())
        handle.seek(0)
        _audit(exporter, written, request=request)
        if not keep:
            return handle, exporter.filename()
        with handle:
            now = timezone.now()
            job = ExportJob(
                kind=kind,
                created_by=user,
                params=params,
                unmasked=unmasked,
                status=JobStatus.DONE,
                total_rows=written,
                processed_rows=written,
                filename=exporter.filename(),
                started_at=now,
                finished_at=now,
            )
            job.save()
            job.file.save(f"export-{job.pk}.xlsx", File(handle), save=True)
        return job
    job = ExportJob.objects.create(
        kind=kind, created_by=user, params=params, unmasked=unmasked, total_rows=count
    )
    from grassroots.imports.tasks import run_export

    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def _exporter(kind: str, *, user, params: dict, unmasked: bool):
    exporter_cls = exporter_for(kind)
    if not has_perm(user, exporter_cls.permission):
        raise PermissionDenied
    return exporter_cls(user=user, params=params, unmasked=unmasked)


def _claim_export(job: ExportJob) -> str | None:
    """Make this run the export's runner if it is still pending (as read). Returns the token, or None."""
    return _take(job, [JobStatus.PENDING], JobStatus.WRITING)


@acting_for_job(ExportJob)
def run_export_job(*, job_id: int, notify: bool = False) -> ExportJob:
    """Write a recorded export. Only a pending job is run, by one run at a time (its runner token); the
    progress saves a heartbeat, so a run whose process died is found by the stale-job check (recovery.py)
    and run again or failed. A run that was taken over stops without finishing the job."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    token = _claim_export(job)
    job.refresh_from_db()
    if token is None:
        return job
    try:
        exporter = _exporter(job.kind, user=job.created_by, params=job.params, unmasked=job.unmasked)
        progress = JobProgress(
            job, JobStatus.WRITING, total=job.total_rows, sender=type(exporter), runner=token
        )
        with temporary_file() as handle:
            written = exporter.write(handle, progress)
            handle.seek(0)
            job.filename = exporter.filename()
            job.file.save(f"export-{job.pk}.xlsx", File(handle), save=False)
        _audit(exporter, written)
    except TakenOver:
        logger.warning("export %s was taken over by another run; this run stopped", job.pk)
        job.refresh_from_db()
        return job
    except PermissionDenied:
        outcome = {"status": JobStatus.FAILED, "error": _("您已没有导出这些数据的权限")}
    except Exception:
        logger.exception("export %s failed", job.pk)
        outcome = {"status": JobStatus.FAILED, "error": _("导出时发生内部错误")}
    else:
        outcome = {"status": JobStatus.DONE, "total_rows": written, "processed_rows": written}
    fields = {**outcome, "file": job.file.name or "", "filename": job.filename, "finished_at": timezone.now()}
    if not ExportJob.objects.filter(pk=job.pk, runner=token).update(**fields):
        logger.warning("export %s was taken over by another run; its outcome is not kept", job.pk)
    job.refresh_from_db()
    if notify and job.finished:
        notify_export(job)
    return job


def notify_export(job: ExportJob) -> None:
    from grassroots.workflow.services import notify as send

    verb = _("导出文件已生成：%(name)s") if job.status == JobStatus.DONE else _("导出失败：%(name)s")
    send(
        recipients=[job.created_by],
        verb=verb % {"name": job.filename or exporter_for(job.kind).label},
        target=job,
        url=job.get_absolute_url(),
    )


def _audit(exporter, count: int, request=None) -> None:
    from grassroots.audit.services import record_export

    record_export(
        user=exporter.user,
        what=exporter.audit_label(),
        count=count,
        unmasked=exporter.unmasked,
        request=request,
    )
