"""The auditors' page: the scoped audit trail with filters, and its xlsx export (itself audited)."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm
from grassroots.audit import selectors, services
from grassroots.audit.forms import AuditFilterForm
from grassroots.pages import paginate
from grassroots.workbooks import SafeWorkbook

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
EXPORT_CHUNK = 1_000


def _require_auditor(request) -> None:
    if not has_perm(request.user, selectors.PERMISSION):
        raise PermissionDenied


@require_GET
@login_required
def log(request):
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.feed(request.user, filters), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "items": selectors.materialize(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)


EXPORT_COLUMNS = [
    gettext_lazy("时间"),
    gettext_lazy("类别"),
    gettext_lazy("操作人"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象"),
    gettext_lazy("详情"),
    gettext_lazy("IP 地址"),
    gettext_lazy("浏览器"),
]


def _details(item: selectors.FeedItem) -> str:
    if item.changes:
        return "；".join(f"{c.label}: {c.old or '—'} → {c.new or '—'}" for c in item.changes)
    return item.details


@require_GET
@login_required
def export(request):
    _require_auditor(request)
    filters = AuditFilterForm(request.GET or None).filters()
    rows = list(selectors.feed(request.user, filters)[:EXPORT_LIMIT])
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("审计日志"))
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    for start in range(0, len(rows), EXPORT_CHUNK):
        for item in selectors.materialize(rows[start : start + EXPORT_CHUNK]):
            sheet.append(
                [
                    timezone.localtime(item.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                    item.kind_label,
                    item.actor,
                    item.object_type,
                    item.object_label,
                    _details(item),
                    item.ip,
                    item.user_agent,
                ]
            )
    buffer = BytesIO()
    workbook.save(buffer)
    services.record_export(
        user=request.user, what=_("审计日志"), count=len(rows), unmasked=True, request=request
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response
