"""The auditors' page: the scoped audit trail with filters. Its 导出 Excel is a list export declared in the
apps layer (grassroots/operations/exports.py, on grassroots.imports.lists), the audit layer being below it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm
from grassroots.audit import selectors
from grassroots.audit.forms import AuditFilterForm
from grassroots.pages import paginate

PAGE_SIZE = 50


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
