"""我的任务: what I must do (assignments of my areas) and what I must check (submissions to my area)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from grassroots.core.duties.exports import worklist_rows
from grassroots.core.duties.filters import DutyAssignmentFilter
from grassroots.core.duties.views._common import require_view
from grassroots.pages import paginate

TODO_FILTERS = [
    ("", _("未完成")),
    ("overdue", _("逾期")),
    ("issued", _("待接收")),
    ("in_progress", _("办理中")),
    ("returned", _("已退回")),
    ("submitted", _("待审核")),
    ("approved", _("已完成")),
]


@login_required
def worklist(request):
    require_view(request.user)
    tab, filterset, check = worklist_rows(request)  # as its export (exports.py)
    todo = filterset.qs
    rows = filterset.queryset
    context = {
        "tab": tab,
        "state": filterset.form.cleaned_data.get("state") or "",
        "filters": TODO_FILTERS,
        "page_obj": paginate(request, todo if tab == "todo" else check),
        "todo_count": DutyAssignmentFilter({"mine": "todo"}, queryset=rows, request=request).qs.count()
        if tab == "check"
        else None,
        "check_count": check.count() if tab == "todo" else None,
    }
    return render(request, "duties/worklist.html", context)
