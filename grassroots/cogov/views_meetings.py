"""Joint meetings' pages: the bodies and their meetings, a meeting (agenda, units' attendance, minutes,
decisions), action items (overdue first) and an item's page with its steps (the workflow's buttons and
timeline, evidence files served by the workflow's scoped download). Thin: selectors read, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.cogov import selectors_meetings as selectors
from grassroots.cogov import services_meetings as services
from grassroots.cogov.exports import action_item_rows, meeting_rows
from grassroots.cogov.forms_meetings import (
    AttendanceForm,
    BodyForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
)
from grassroots.cogov.models_meetings import MANAGE, VIEW
from grassroots.gatherings.models import Status
from grassroots.pages import attach_errors, paginate
from grassroots.workflow.engine import TransitionRefused


def _need(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


@login_required
def joint_meetings(request):
    """The bodies in sight and their meetings, newest first (?area=, ?body=)."""
    _need(request.user, VIEW)
    bodies, body, rows = meeting_rows(request)  # as its export (exports.py)
    return render(
        request,
        "cogov/meetings/list.html",
        {
            "bodies": bodies.order_by("area__path", "name"),
            "body": body,
            "page_obj": paginate(request, rows),
            "may_manage": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_form(request, pk=None):
    body = get_object_or_404(selectors.manageable_bodies(request.user), pk=pk) if pk else None
    if body is None:
        _need(request.user, MANAGE)
    initial = {"name": body.name, "members": body.members.all(), "note": body.note} if body else None
    form = BodyForm(request.POST or None, user=request.user, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.save_body(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("联席会议已保存。"))
            return redirect(body)
    return render(request, "cogov/meetings/body_form.html", {"form": form, "body": body})


@login_required
def body_detail(request, pk):
    body = get_object_or_404(selectors.visible_bodies(request.user), pk=pk)
    return render(
        request,
        "cogov/meetings/body_detail.html",
        {
            "body": body,
            "members": body.members.select_related("area").order_by("name"),
            "meetings": selectors.meeting_list(request.user, body=body)[:20],
            "may_manage": has_perm(request.user, MANAGE, body.area),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    body = get_object_or_404(selectors.manageable_bodies(request.user), pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("会议已安排，成员单位代表已收到通知。"))
            return redirect(meeting)
    return render(request, "cogov/meetings/meeting_form.html", {"form": form, "body": body})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    body, gathering = meeting.body, meeting.gathering
    may_manage = has_perm(request.user, MANAGE, body.area)
    members = list(body.members.order_by("name"))
    recorded = {a.partner_id: a for a in meeting.attendance.all()}
    minutes_form = MinutesForm(prefix="minutes", initial={"minutes": gathering.minutes})
    attendance_form = AttendanceForm(prefix="att", members=members, rows=recorded)
    decision_form = DecisionForm(prefix="decision", body=body)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        forms = {
            "minutes": MinutesForm(request.POST, prefix="minutes"),
            "attendance": AttendanceForm(request.POST, prefix="att", members=members, rows=recorded),
            "decision": DecisionForm(request.POST, prefix="decision", body=body),
        }
        form = forms.get(action)
        try:
            if action == "held":
                services.mark_held(actor=request.user, meeting=meeting)
                messages.success(request, _("会议已标记为已召开。"))
                return redirect(meeting)
            if form is not None and form.is_valid():
                if action == "minutes":
                    services.record_minutes(actor=request.user, meeting=meeting, **form.cleaned_data)
                    messages.success(request, _("会议记录已保存。"))
                elif action == "attendance":
                    services.record_attendance(actor=request.user, meeting=meeting, rows=form.rows())
                    messages.success(request, _("成员单位出席情况已登记。"))
                else:
                    services.record_decision(actor=request.user, meeting=meeting, **form.cleaned_data)
                    messages.success(request, _("决定事项已列为督办事项。"))
                return redirect(meeting)
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(meeting)
            attach_errors(form, exc)
        except TransitionRefused as exc:  # the gathering's step "held" before the meeting began
            messages.error(request, exc.message)
            return redirect(meeting)
        minutes_form = forms["minutes"] if action == "minutes" else minutes_form
        attendance_form = forms["attendance"] if action == "attendance" else attendance_form
        decision_form = forms["decision"] if action == "decision" else decision_form
    return render(
        request,
        "cogov/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "body": body,
            "gathering": gathering,
            "attendance": [{"partner": p, "row": recorded.get(p.pk)} for p in members],
            "items": selectors.visible_action_items(request.user).filter(meeting=meeting),
            "may_manage": may_manage and gathering.status != Status.CANCELLED,
            "started": gathering.has_started(),
            "held": gathering.status == Status.HELD,
            "minutes_form": minutes_form,
            "attendance_form": attendance_form,
            "decision_form": decision_form,
        },
    )


@login_required
def action_items(request):
    """Action items in sight, overdue first (?state=, ?overdue=1, ?area=)."""
    _need(request.user, VIEW)
    filters, rows = action_item_rows(request)  # as its export (exports.py)
    return render(
        request,
        "cogov/meetings/action_items.html",
        {"filters": filters, "page_obj": paginate(request, rows), "today": timezone.localdate()},
    )


@login_required
def action_item_detail(request, pk):
    item = get_object_or_404(selectors.visible_action_items(request.user), pk=pk)
    return render(request, "cogov/meetings/action_item_detail.html", {"item": item})
