"""The purge of import files and exports after the retention period (FILES_RETENTION_DAYS, 30 days).

An uploaded import file and the workbook of its rejected rows are plaintext personal data; so is an
(unmasked) export. `purge_files` deletes, for every import job and export job finished (or, if it never
finished, created) more than FILES_RETENTION_DAYS ago, its files from storage and empties the job's file
fields (the job itself, its counts and errors stay as the record of what happened). It then sweeps the
storage folders of imports and exports for files no job refers to that are older than the period (left by
a crash, or by a deleted job). Workflow attachments and photos are records' evidence and stay with them.

The files sit below the parts that keep them (docs/architecture.md, "Layers"): each kind of record whose
files are purged is registered with `retain()` by its app (imports registers its import and export jobs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True)
class Retained:
    """A kind of record whose stored files are deleted after the retention period."""

    model: type[models.Model]
    fields: tuple[str, ...]  # its file fields
    old: Callable[[datetime], Q]  # the records past their period, given the cutoff
    folders: tuple[str, ...]  # storage folders swept for its files no record refers to


_RETAINED: dict[str, Retained] = {}


def retain(
    key: str,
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    old: Callable[[datetime], Q],
    folders: tuple[str, ...] = (),
) -> None:
    """Purge the files of `model` (from its app's `ready()`); `key` names its count in the result."""
    _RETAINED[key] = Retained(model, fields, old, folders)


@dataclass
class PurgeResult:
    counts: dict[str, int] = field(default_factory=dict)  # per registered kind: records whose files went
    orphans: int = 0  # files in the swept folders no record referred to

    def as_dict(self) -> dict:
        return {**self.counts, "orphans": self.orphans}


def retention_days() -> int:
    return max(1, int(getattr(settings, "FILES_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def purge_files(*, now: datetime | None = None) -> PurgeResult:
    """Delete the files of the registered records older than the retention period (see the module)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    result = PurgeResult()
    for key, kind in _RETAINED.items():
        result.counts[key] = 0
        with_files = ~Q(**dict.fromkeys(kind.fields, "")) if kind.fields else Q()
        records = kind.model.objects.filter(kind.old(cutoff)).filter(with_files)
        for record in records.only("pk", *kind.fields).iterator():
            _purge(record, kind.fields)
            result.counts[key] += 1
    result.orphans = _sweep(cutoff)
    if any(result.counts.values()) or result.orphans:
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
    referenced: set[str] = set()
    for kind in _RETAINED.values():
        for name in kind.fields:
            referenced |= set(kind.model.objects.exclude(**{name: ""}).values_list(name, flat=True))
    swept = 0
    for folder in dict.fromkeys(f for kind in _RETAINED.values() for f in kind.folders):
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
