"""The pages of a job: its progress and report (the status fragment polls itself with htmx while the job
runs), the uploaded file and the rejected rows of an import, the file of an export. Outsiders get 404; the
files go out through files.serve (never by a media URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from grassroots.files.serve import serve_file
from grassroots.files.services import retention_days
from grassroots.imports import selectors
from grassroots.imports.lists import WORKING_AREA, list_export_for
from grassroots.imports.models import ExportJob
from grassroots.imports.progress import live_progress
from grassroots.imports.recovery import recover
from grassroots.imports.registry import exporter_for, importer_for
from grassroots.imports.runner import start_export
from grassroots.imports.xlsx import file_response

GROUPS_SHOWN = 30  # reasons listed on the page, each with its count and first rows; the rejected-rows
# workbook has every row


def _url(name: str) -> str:
    try:
        return reverse(name) if name else ""
    except NoReverseMatch:
        return ""


def _import_context(request, job) -> dict:
    importer = importer_for(job.kind)
    live = live_progress(job)
    return {
        "job": job,
        "label": importer.label,
        "live": live,
        "percent": round(100 * live["done"] / live["total"]) if live and live["total"] else job.percent,
        "done_message": importer(actor=job.created_by).done_message(job.counts) if job.counts else "",
        **_errors(job),
        "may_download": bool(job.rejected_file) and selectors.may_download_rejected(request.user, job),
        "may_download_file": bool(job.file) and selectors.may_download_rejected(request.user, job),
        "upload_url": _url(importer.upload_url_name),
        "retention_days": retention_days(),
    }


def _errors(job) -> dict:
    groups = selectors.error_groups(job.errors) if job.errors else []
    return {
        "error_groups": groups[:GROUPS_SHOWN],
        "groups_hidden": max(0, len(groups) - GROUPS_SHOWN),
        "errors_uncounted": max(0, job.error_count - len(job.errors)),  # beyond the kept ones
    }


def _recovered(job):
    """A running job whose run died is resumed or failed now (recovery.py), and the page says which."""
    if not job.finished and recover(job) in ("resumed", "failed"):
        job.refresh_from_db()
    return job


@login_required
@require_GET
def import_detail(request, pk: int):
    job = _recovered(selectors.get_import_job_or_404(request.user, pk))
    context = _import_context(request, job)
    if request.htmx:
        return render(request, "imports/_import_status.html", context)
    return render(request, "imports/import_detail.html", context)


@login_required
@require_GET
def import_rejected(request, pk: int):
    job = selectors.get_import_job_or_404(request.user, pk)
    if not job.rejected_file or not selectors.may_download_rejected(request.user, job):
        raise Http404
    return serve_file(job.rejected_file, filename=f"被拒绝的行-{job.pk}.xlsx", inline=False)


@login_required
@require_GET
def import_file(request, pk: int):
    """The uploaded file itself: for the uploader and whoever may see the rejected rows (its data)."""
    job = selectors.get_import_job_or_404(request.user, pk)
    if not job.file or not selectors.may_download_rejected(request.user, job):
        raise Http404
    return serve_file(job.file, filename=job.original_name or f"import-{job.pk}.xlsx", inline=False)


@login_required
@require_GET
def export_detail(request, pk: int):
    job = _recovered(selectors.get_export_job_or_404(request.user, pk))
    exporter = exporter_for(job.kind)
    live = live_progress(job)
    context = {
        "job": job,
        "label": exporter.label,
        "live": live,
        "percent": round(100 * live["done"] / live["total"]) if live and live["total"] else job.percent,
        "back_url": _url(exporter.back_url_name),
        "retention_days": retention_days(),
    }
    if request.htmx:
        return render(request, "imports/_export_status.html", context)
    return render(request, "imports/export_detail.html", context)


@login_required
@require_GET
def export_download(request, pk: int):
    job = selectors.get_export_job_or_404(request.user, pk)
    if not job.file:
        raise Http404
    return serve_file(job.file, filename=job.filename or f"export-{job.pk}.xlsx", inline=False)


@login_required
@require_POST
def list_export(request, kind: str):
    """A list page's 导出 Excel: the rows its filters (this URL's query string) show the user, masked as on
    screen — the file at once up to EXPORTS_SYNC_MAX_ROWS rows, else a background job whose page shows the
    progress and then the download. No permission for the list: 403; an unknown list: 404."""
    declared = list_export_for(kind)
    if declared is None:
        raise Http404
    params = declared.params_from(request)
    working = getattr(request.user, "active_area_path", None)
    if working:
        params[WORKING_AREA] = [working]
    result = start_export(kind=kind, user=request.user, params=params, request=request)
    if isinstance(result, ExportJob):
        return redirect("imports:export_detail", pk=result.pk)
    handle, filename = result
    return file_response(handle, filename)
