"""Who sees which jobs. An import job: its uploader, and whoever holds the importer's permission on an area
covering the job's `area_path`. The rejected rows of an import (the uploaded data itself): the uploader, and
in that scope whoever holds the importer's `rejected_permission`. An export job: its requester only."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_paths, scope_q
from grassroots.areas.subtree import lies_under
from grassroots.imports.models import ExportJob, ImportJob
from grassroots.imports.registry import _IMPORTERS, importer_for


def import_jobs_for(user, kind: str | None = None) -> QuerySet[ImportJob]:
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    kinds = [kind] if kind else list(_IMPORTERS)
    q = Q(created_by=user)
    for name in kinds:
        q |= Q(kind=name) & scope_q(user, importer_for(name).permission, "area_path")
    jobs = ImportJob.objects.filter(q)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.select_related("created_by")


def get_import_job_or_404(user, pk: int) -> ImportJob:
    try:
        return import_jobs_for(user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


def may_download_rejected(user, job: ImportJob) -> bool:
    if job.created_by_id == user.pk:
        return True
    importer = importer_for(job.kind)
    permission = importer.rejected_permission or importer.permission
    return bool(job.area_path) and lies_under(job.area_path, scope_paths(user, permission))


def export_jobs_for(user) -> QuerySet[ExportJob]:
    if user is None or not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by=user)


def get_export_job_or_404(user, pk: int) -> ExportJob:
    try:
        return export_jobs_for(user).get(pk=pk)
    except ExportJob.DoesNotExist as exc:
        raise Http404 from exc


def error_groups(errors: list[dict], *, rows_shown: int = 5) -> list[dict]:
    """A job's kept errors grouped by reason (sheet, column, message), most frequent first: each with its
    count and the first `rows_shown` row numbers — what a page shows instead of one line per error (the
    rejected-rows workbook has every row)."""
    groups: dict[tuple, dict] = {}
    for error in errors:
        key = (error.get("sheet", ""), error.get("column", ""), error.get("message", ""))
        group = groups.setdefault(
            key, {"sheet": key[0], "column": key[1], "message": key[2], "count": 0, "rows": []}
        )
        group["count"] += 1
        if error.get("row") and len(group["rows"]) < rows_shown:
            group["rows"].append(error["row"])
    for group in groups.values():
        group["more_rows"] = group["count"] - len(group["rows"]) if group["rows"] else 0
    return sorted(groups.values(), key=lambda g: -g["count"])  # stable: first seen first among equals
