"""The task list of an area and year, issuing a task (new or a draft), copying last year's list, a task's page
with the progress of every target, and the roll-up by subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import area_from_request, has_perm, scope_paths
from grassroots.areas.models import Level
from grassroots.areas.subtree import lies_under
from grassroots.core.duties import selectors, services
from grassroots.core.duties.exports import progress_rows, task_rows
from grassroots.core.duties.filters import DutyAssignmentFilter
from grassroots.core.duties.forms import TaskForm
from grassroots.core.duties.models import AssignmentState, TaskList
from grassroots.core.duties.views._common import require_view
from grassroots.pages import attach_errors, paginate, year_param

RECEIVED_SHOWN = 50
STATE_FILTERS = [
    ("", _("全部")),
    ("open", _("未提交")),
    ("submitted", _("待审核")),
    ("returned", _("已退回")),
]


@login_required
def task_list(request):
    """An area's task list for a year: its tasks with the progress of their targets, the tasks it received
    from above, and (for whoever may issue) new task, copy from last year, issue drafts."""
    require_view(request.user)
    area, year, current, rows = task_rows(request)  # as its export (exports.py)
    can_issue = has_perm(request.user, "duties.issue", area) and bool(services.target_levels_below(area))
    tasks = paginate(request, rows) if current else None
    has_previous = TaskList.objects.filter(area=area, year=year - 1).exists()
    context = {
        "area": area,
        "year": year,
        "task_list": current,
        "tasks": tasks,
        "received": selectors.received_for_breakdown(request.user, area, year)[:RECEIVED_SHOWN],
        "can_issue": can_issue,
        "can_copy": can_issue and has_previous and (tasks is None or tasks.paginator.count == 0),
        "areas": selectors.list_areas(request.user),
    }
    return render(request, "duties/task_list.html", context)


@login_required
@require_POST
def copy_list(request):
    area = area_from_request(request, "duties.issue", required=True)
    year = year_param(request)
    try:
        services.copy_task_list(actor=request.user, area=area, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已从上一年度复制任务清单，请逐项核对后下发。"))
    return redirect(TaskList(area=area, year=year).get_absolute_url())


def _issue_form(request, *, area, year, draft=None, parent=None, template="duties/task_form.html"):
    initial = TaskForm.initial_from(draft) if draft is not None else {}
    form = TaskForm(request.POST or None, user=request.user, area=area, parent=parent, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.issue_task(
                actor=request.user,
                area=area,
                year=year,
                draft=draft,
                parent=parent,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("任务已下发给 %(count)d 个单位。") % {"count": task.assignments.count()}
            )
            return redirect(task.get_absolute_url())
    context = {"form": form, "area": area, "year": year, "draft": draft, "parent": parent}
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    area = area_from_request(request, "duties.issue", required=True)
    if not services.target_levels_below(area):
        raise PermissionDenied
    return _issue_form(request, area=area, year=year_param(request))


@login_required
@require_http_methods(["GET", "POST"])
def task_issue_draft(request, pk):
    task = selectors.get_task_or_404(request.user, pk)
    if not has_perm(request.user, "duties.issue", task.area):
        raise PermissionDenied
    if not task.is_draft:
        return redirect(task.get_absolute_url())
    return _issue_form(request, area=task.area, year=task.task_list.year, draft=task)


@login_required
@require_POST
def task_delete_draft(request, pk):
    task = selectors.get_task_or_404(request.user, pk)
    try:
        services.delete_draft(actor=request.user, task=task)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(task.get_absolute_url())
    messages.success(request, _("草稿已删除。"))
    return redirect(TaskList(area=task.area, year=task.task_list.year).get_absolute_url())


@login_required
def task_detail(request, pk):
    """A task and the progress of every target (or, `?view=cascade`, of every area down the cascade)."""
    task = selectors.get_task_or_404(request.user, pk)
    view = "cascade" if request.GET.get("view") == "cascade" else "targets"
    rows = selectors.cascade_of(task) if view == "cascade" else selectors.targets_of(task)
    # the page's state tabs (the rows are the task's already: the API's `?task=` is the page's own pk)
    filterset = DutyAssignmentFilter({"state": request.GET.get("state", "")}, queryset=rows, request=request)
    rows = filterset.qs
    context = {
        "task": task,
        "view": view,
        "state": filterset.form.cleaned_data.get("state") or "",
        "states": [*STATE_FILTERS, ("approved", AssignmentState.APPROVED.label), ("overdue", _("逾期"))],
        "figures": selectors.task_figures(task),
        "by_level": [(Level(level).label, figures) for level, figures in selectors.figures_by_level(task)],
        "page_obj": paginate(request, rows, 50),
        "can_issue": has_perm(request.user, "duties.issue", task.area),
    }
    return render(request, "duties/task_detail.html", context)


@login_required
def progress(request):
    """Completion and timeliness of a year's tasks by subtree: the area's own and each child area's."""
    require_view(request.user)
    area, year, rows = progress_rows(request)
    paths = scope_paths(request.user, "duties.view")
    context = {
        "area": area,
        "year": year,
        "breadcrumb": [a for a in area.ancestors_with_self() if lies_under(a.path, paths)],
        "total": selectors.completion_figures(area.path, year),
        "rows": rows,
        "areas": selectors.list_areas(request.user),
    }
    return render(request, "duties/progress.html", context)
