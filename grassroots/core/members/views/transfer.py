"""Import (upload, template) and export of members. The import's progress and report pages are the generic
ones of grassroots.imports (`imports:detail`); so is a large export's download (`imports:export_detail`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.members.services.exports import export_members
from grassroots.core.members.services.imports import KIND, start_member_import
from grassroots.core.members.transfer.export import UNMASKED, MemberExporter
from grassroots.core.members.transfer.layout import template_workbook
from grassroots.files.checks import SPREADSHEETS
from grassroots.files.fields import CheckedFileField
from grassroots.files.uploads import upload_limit
from grassroots.imports.models import ExportJob
from grassroots.imports.runner import export_sync_max_rows
from grassroots.imports.selectors import import_jobs_for
from grassroots.imports.xlsx import file_response, xlsx_response
from grassroots.portal.search import search_params

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = CheckedFileField(
        allowed=SPREADSHEETS,
        max_bytes=MAX_UPLOAD_BYTES,
        label=_("xlsx 文件"),
        validators=[FileExtensionValidator(["xlsx"], message=_("请上传 .xlsx 文件"))],
        help_text=_("使用导入模板的格式，一个文件最多约10万行"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _require(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
@upload_limit(MAX_UPLOAD_BYTES)
def import_upload(request):
    _require(request.user, "members.import")
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_member_import(file=form.cleaned_data["file"], actor=request.user)
        return redirect("imports:detail", pk=job.pk)
    recent = import_jobs_for(request.user, KIND)[:10]
    return render(request, "members/import.html", {"form": form, "recent": recent})


@login_required
@require_GET
def import_template(request):
    _require(request.user, "members.import")
    return xlsx_response(template_workbook(), "党员信息导入模板.xlsx")


def _params(request) -> dict:
    """The list page's filters from the query string (page and export-only keys dropped), a searched number
    restored from the session by its token (portal/search.py)."""
    return {
        key: values for key, values in search_params(request).lists() if key not in {"page"} and any(values)
    }


def _url_query(request) -> str:
    """The export page's own query: the URL's as it came (a number stays behind its token)."""
    return urlencode({k: v for k, v in request.GET.lists() if k != "page" and any(v)}, doseq=True)


@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """GET: what will be exported (the list page's filters, the number of rows, masked or not). POST: the
    file (small exports) or a background job (large ones)."""
    user = request.user
    _require(user, "members.view")
    params = _params(request)
    may_unmask = has_perm(user, UNMASKED)
    if request.method == "POST":
        unmasked = request.POST.get("unmasked") == "1"
        if unmasked and not may_unmask:
            raise PermissionDenied
        result = export_members(user=user, params=params, unmasked=unmasked, request=request)
        if isinstance(result, ExportJob):
            return redirect("imports:export_detail", pk=result.pk)
        handle, filename = result
        return file_response(handle, filename)
    count = MemberExporter(user=user, params=params, unmasked=False).count()
    context = {
        "count": count,
        "query": _url_query(request),
        "params": params,
        "may_unmask": may_unmask,
        "background": count > export_sync_max_rows(),
        "sync_max": export_sync_max_rows(),
    }
    return render(request, "members/export.html", context)
