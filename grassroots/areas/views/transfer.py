"""xlsx import (upload, template) and export of the scoped subtree. The import's progress, report and
rejected rows are the generic pages of grassroots.imports (`imports:detail`, `imports:rejected`)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.access.scoping import area_from_request, has_perm, scope_paths
from grassroots.areas import services
from grassroots.areas.forms import MAX_UPLOAD_BYTES, ImportForm
from grassroots.areas.transfer.export import export_workbook
from grassroots.areas.transfer.importer import AreaImporter
from grassroots.areas.transfer.layout import template_workbook
from grassroots.files.uploads import upload_limit
from grassroots.imports.selectors import import_jobs_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import(request) -> None:
    if not has_perm(request.user, "areas.import"):
        raise PermissionDenied


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@upload_limit(MAX_UPLOAD_BYTES)
def import_upload(request):
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_import(file=form.cleaned_data["file"], actor=request.user)
        return redirect("imports:detail", pk=job.pk)
    recent = import_jobs_for(request.user, AreaImporter.kind)[:10]
    return render(request, "areas/import.html", {"form": form, "recent": recent})


@login_required
@require_GET
def import_template(request):
    _require_import(request)
    return _xlsx(template_workbook(), "区域与党组织导入模板.xlsx")


@login_required
@require_GET
def export(request):
    """The user's export scope (or ?area=<pk>, one subtree of it) as a workbook in the import layout."""
    user = request.user
    if not has_perm(user, "areas.export"):
        raise PermissionDenied
    area = area_from_request(request, "areas.export")
    paths = [area.path] if area is not None else scope_paths(user, "areas.export")
    result = export_workbook(paths=paths)
    _record(user=user, count=result.count, area=area, request=request)
    label = area.name if area is not None else "全部"
    filename = f"区域与党组织-{label}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(result.file, as_attachment=True, filename=filename, content_type=XLSX)


def _record(*, user, count: int, area, request) -> None:
    from grassroots.audit.services import record_export

    record_export(user=user, what="区域与党组织", count=count, area=area, request=request)
