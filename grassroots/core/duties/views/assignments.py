"""An assignment's page (the task, its steps, evidence and timeline, its breakdowns), breaking it down into
tasks for the lower level, and naming the office that handles it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.core.duties import selectors, services
from grassroots.core.duties.forms import AssignOfficeForm
from grassroots.core.duties.models import AssignmentState
from grassroots.core.duties.rules import doer
from grassroots.core.duties.views.tasks import _issue_form


def _may_break_down(user, assignment) -> bool:
    return (
        doer(assignment, user)
        and assignment.state != AssignmentState.APPROVED
        and bool(services.target_levels_below(assignment.area))
        and has_perm(user, "duties.issue", assignment.area)
    )


@login_required
def assignment_detail(request, pk):
    assignment = selectors.get_assignment_or_404(request.user, pk)
    is_doer = doer(assignment, request.user)
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "is_doer": is_doer,
        "task_visible": has_perm(request.user, "duties.view", assignment.task.area),
        "children": selectors.children_of_assignment(assignment),
        "may_break_down": _may_break_down(request.user, assignment),
        "office_form": AssignOfficeForm(area=assignment.area, initial={"office": assignment.office_id})
        if is_doer
        else None,
    }
    return render(request, "duties/assignment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def breakdown(request, pk):
    """Break a received task into a task for the lower level (a street's communities), linked to it."""
    assignment = selectors.get_assignment_or_404(request.user, pk)
    if not _may_break_down(request.user, assignment):
        raise PermissionDenied
    return _issue_form(
        request,
        area=assignment.area,
        year=assignment.task.task_list.year,
        parent=assignment,
    )


@login_required
@require_POST
def assign_office(request, pk):
    assignment = selectors.get_assignment_or_404(request.user, pk)
    if not doer(assignment, request.user):
        raise PermissionDenied
    form = AssignOfficeForm(request.POST, area=assignment.area)
    if form.is_valid():
        try:
            services.assign_office(
                actor=request.user, assignment=assignment, office=form.cleaned_data["office"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已指定承办科室。"))
    else:
        messages.error(request, _("请选择本单位的科室。"))
    return redirect(assignment.get_absolute_url())
