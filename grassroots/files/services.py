"""The purge of import files and exports after the retention period (FILES_RETENTION_DAYS, 30 days).

An uploaded import file and the workbook of its rejected rows are plaintext personal data; so is an
(unmasked) export. `purge_files` deletes, for every import job and export job finished (or, if it never
finished, created) more than FILES_RETENTION_DAYS ago, its files from storage and empties the job's file
fields (the job itself, its counts and errors stay as the record of what happened). It then sweeps the
storage folders of imports and exports for files no job refers to that are older than the period (left by
a crash, or by a deleted job). Workflow attachments and photos are records' evidence and stay with them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
SWEPT_FOLDERS = ("imports", "exports")


@dataclass
class PurgeResult:
    imports: int = 0  # import jobs whose files were deleted
    exports: int = 0  # export jobs whose file was deleted
    orphans: int = 0  # files in the swept folders no job referred to

    def as_dict(self) -> dict:
        return {"imports": self.imports, "exports": self.exports, "orphans": self.orphans}


def retention_days() -> int:
    return max(1, int(getattr(settings, "FILES_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def purge_files(*, now: datetime | None = None) -> PurgeResult:
    """Delete the import files and exports older than the retention period (see the module)."""
    from grassroots.imports.models import FINISHED, ExportJob, ImportJob

    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    old = Q(status__in=FINISHED, finished_at__lt=cutoff) | (
        ~Q(status__in=FINISHED) & Q(created_at__lt=cutoff)
    )
    result = PurgeResult()
    imports = ImportJob.objects.filter(old).exclude(file="", rejected_file="")
    for job in imports.only("pk", "file", "rejected_file").iterator():
        _purge(job, ("file", "rejected_file"))
        result.imports += 1
    exports = ExportJob.objects.filter(old).exclude(file="")
    for job in exports.only("pk", "file").iterator():
        _purge(job, ("file",))
        result.exports += 1
    result.orphans = _sweep(cutoff)
    if result.imports or result.exports or result.orphans:
        logger.info("purged files: %s", result.as_dict())
    return result


def _purge(job, fields: tuple[str, ...]) -> None:
    names = [getattr(job, f).name for f in fields if getattr(job, f).name]
    with transaction.atomic():
        type(job).objects.filter(pk=job.pk).update(**dict.fromkeys(fields, ""))
        transaction.on_commit(lambda: _delete(names))


def _delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)


def _sweep(cutoff: datetime) -> int:
    from grassroots.imports.models import ExportJob, ImportJob

    referenced = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(ImportJob.objects.exclude(rejected_file="").values_list("rejected_file", flat=True))
    referenced |= set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    swept = 0
    for folder in SWEPT_FOLDERS:
        for name in _walk(folder):
            if name in referenced:
                continue
            try:
                if default_storage.get_modified_time(name) >= cutoff:
                    continue
                default_storage.delete(name)
            except OSError:
                logger.warning("could not sweep %s", name, exc_info=True)
                continue
            swept += 1
    return swept


def _walk(folder: str):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(f"{folder}/{sub}")
