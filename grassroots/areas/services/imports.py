"""Import areas and Party organizations from an xlsx workbook, all or nothing.

The importer itself (`grassroots.areas.transfer.importer.AreaImporter`) is registered with the generic
import runner (grassroots.imports): `start_import` is what the upload page calls — it records an
`ImportJob` and runs it inline for a small file or as a background task for a large one, while the job
page shows its progress. `import_workbook` runs the same importer as a plain function, without a job (the
`import_areas` command, tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.transfer.importer import AreaImporter
from grassroots.areas.transfer.rejects import rejected_rows
from grassroots.imports.models import ImportJob
from grassroots.imports.registry import ImportConflict, Progress
from grassroots.imports.runner import run_import_job
from grassroots.imports.runner import start_import as start_job
from grassroots.imports.xlsx import RowError

logger = logging.getLogger(__name__)
KIND = AreaImporter.kind


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


class _Calls(Progress):
    def __init__(self, report: Callable[[str, int, int], None]) -> None:
        self.report = report
        self.stage = "validating"

    def __call__(self, done: int, total: int | None = None) -> None:
        self.report(self.stage, done, total or 0)


def import_workbook(*, file, actor, progress: Callable[[str, int, int], None] | None = None) -> ImportOutcome:
    """Validate every row of `file` (a path or binary file object); when all are good write them all in
    one transaction, else write nothing and return each bad row with its sheet, row, column and reason.
    Needs "areas.import"; every parent must lie inside the actor's import scope (`actor=None`: the system,
    which may also create root areas). `progress(stage, done, total)`, stage "validating" or "writing"."""
    if actor is not None and not has_perm(actor, "areas.import"):
        raise PermissionDenied(_("您没有导入区域的权限"))
    calls = _Calls(progress or (lambda stage, done, total: None))
    importer = AreaImporter(actor=actor)
    validation = importer.validate(file, calls)
    outcome = ImportOutcome(total_rows=validation.total_rows)
    if not validation.ok:
        outcome.errors = validation.errors
        outcome.rejected = rejected_rows(importer.sheets, validation.errors)
        return outcome
    calls.stage = "writing"
    try:
        with transaction.atomic():
            counts = importer.write(validation.plan, calls)
    except ImportConflict as exc:
        outcome.errors = [RowError("", 0, "", str(exc))]
        return outcome
    except IntegrityError:
        logger.warning("area import hit a constraint while writing", exc_info=True)
        outcome.errors = [
            RowError(
                "", 0, "", _("写入时与他人同时进行的修改冲突（如区划代码重复），未写入任何数据，请重新导入")
            )
        ]
        return outcome
    outcome.areas_created, outcome.orgs_created = counts["areas"], counts["orgs"]
    return outcome


def start_import(*, file, actor) -> ImportJob:
    """Record an upload and run it: inline when the file is small (AREAS_IMPORT_SYNC_MAX_BYTES, else
    IMPORTS_SYNC_MAX_BYTES: 200 KB), else as a background task enqueued when the upload commits."""
    return start_job(kind=KIND, file=file, actor=actor)


def run_import(*, job_id: int) -> ImportJob:
    """Run a recorded import (what the worker does)."""
    return run_import_job(job_id=job_id)
