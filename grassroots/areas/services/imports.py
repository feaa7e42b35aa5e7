"""Import areas and Party organizations from an xlsx workbook, all or nothing.

`import_workbook` is the whole job as a plain function (used by tests and by `run_import`); `start_import`
is what the upload page calls: it records an `AreaImport` and runs it inline for a small file or as a
background task (`grassroots.areas.tasks.run_area_import`, picked up by `manage.py db_worker`) for a large
one, while the import page polls its progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.scoping import has_perm
from grassroots.areas.models import AreaImport
from grassroots.areas.transfer.reading import RowError, read_workbook
from grassroots.areas.transfer.rejects import rejected_rows
from grassroots.areas.transfer.validate import Validator
from grassroots.areas.transfer.write import ImportConflict, write_plan

logger = logging.getLogger(__name__)

# Files up to this size are imported while the upload request waits; larger ones go to the worker.
SYNC_MAX_BYTES = 200 * 1024

# progress(stage, done, total): stage is "validating" or "writing".
Progress = Callable[[str, int, int], None]


@dataclass
class ImportOutcome:
    total_rows: int = 0
    areas_created: int = 0
    orgs_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _sync_max_bytes() -> int:
    return getattr(settings, "AREAS_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES)


def import_workbook(*, file, actor, progress: Progress | None = None) -> ImportOutcome:
    """Validate every row of `file` (a path or binary file object); when all are good write them all in
    one transaction, else write nothing and return each bad row with its sheet, row, column and reason.
    Needs "areas.import"; every parent must lie inside the actor's import scope (`actor=None`: the system,
    which may also create root areas)."""
    if actor is not None and not has_perm(actor, "areas.import"):
        raise PermissionDenied(_("您没有导入区域的权限"))
    report = progress or (lambda stage, done, total: None)
    sheets, errors = read_workbook(file)
    outcome = ImportOutcome(total_rows=sum(len(s.rows) for s in sheets.values()))
    if errors:
        outcome.errors = errors
        return outcome
    if outcome.total_rows == 0:
        outcome.errors = [RowError("", 0, "", _("文件中没有数据行"))]
        return outcome
    report("validating", 0, outcome.total_rows)
    validator = Validator(actor=actor, progress=lambda done: report("validating", done, outcome.total_rows))
    plan = validator.run(sheets)
    if plan.errors:
        outcome.errors = plan.errors
        outcome.rejected = rejected_rows(sheets, plan.errors)
        return outcome
    report("writing", outcome.total_rows, outcome.total_rows)
    try:
        with transaction.atomic():
            outcome.areas_created, outcome.orgs_created = write_plan(plan)
    except ImportConflict as exc:
        outcome.errors = [RowError("", 0, "", str(exc))]
    except IntegrityError:
        logger.warning("area import hit a constraint while writing", exc_info=True)
        outcome.errors = [
            RowError(
                "", 0, "", _("写入时与他人同时进行的修改冲突（如区划代码重复），未写入任何数据，请重新导入")
            )
        ]
    return outcome


def run_import(*, job_id: int) -> AreaImport:
    """Run a recorded import, keeping its progress and report on the `AreaImport` row. Safe to call
    twice: a finished import is left as it is."""
    job = AreaImport.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job

    def progress(stage: str, done: int, total: int) -> None:
        status = AreaImport.Status.WRITING if stage == "writing" else AreaImport.Status.VALIDATING
        AreaImport.objects.filter(pk=job.pk).update(status=status, processed_rows=done, total_rows=total)

    AreaImport.objects.filter(pk=job.pk).update(status=AreaImport.Status.VALIDATING)
    try:
        with job.file.open("rb") as handle:
            outcome = import_workbook(file=handle, actor=job.created_by, progress=progress)
    except PermissionDenied as exc:
        outcome = ImportOutcome(errors=[RowError("", 0, "", str(exc))])
    except Exception:
        logger.exception("area import %s failed", job.pk)
        job.status = AreaImport.Status.FAILED
        job.errors = [RowError("", 0, "", _("导入时发生内部错误，未写入任何数据")).as_dict()]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "errors", "finished_at"])
        return job
    job.total_rows = outcome.total_rows
    job.processed_rows = outcome.total_rows
    job.areas_created = outcome.areas_created
    job.orgs_created = outcome.orgs_created
    job.errors = [e.as_dict() for e in outcome.errors]
    job.rejected = outcome.rejected
    if outcome.ok:
        job.status = AreaImport.Status.DONE
    elif outcome.rejected:
        job.status = AreaImport.Status.REJECTED
    else:
        job.status = AreaImport.Status.FAILED
    job.finished_at = timezone.now()
    job.save()
    return job


def start_import(*, file, actor) -> AreaImport:
    """Record an upload and run it: inline when the file is small, else as a background task (enqueued
    when the surrounding transaction commits)."""
    if not has_perm(actor, "areas.import"):
        raise PermissionDenied(_("您没有导入区域的权限"))
    job = AreaImport.objects.create(
        created_by=actor, file=file, original_name=getattr(file, "name", "")[:255]
    )
    if (getattr(file, "size", 0) or 0) <= _sync_max_bytes():
        return run_import(job_id=job.pk)
    from grassroots.areas.tasks import run_area_import

    transaction.on_commit(lambda: run_area_import.enqueue(job.pk))
    return job
