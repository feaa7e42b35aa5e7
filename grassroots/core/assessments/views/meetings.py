"""On-site meetings (现场会): the list (and, on its second tab, the review meetings: gatherings of kind
述职评议会), a new meeting, a meeting with what it shows, its gathering's minutes and photos, its lessons and
the step that turns a lesson into a task; editing what it shows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.assessments.exports import site_meeting_rows
from grassroots.core.assessments.forms import LessonForm, LessonTaskForm, SiteMeetingForm
from grassroots.core.assessments.models import Shows
from grassroots.core.assessments.rules import MANAGE, may_organize_site_meeting
from grassroots.core.assessments.selectors import meetings as selectors
from grassroots.core.assessments.services import meetings as services
from grassroots.core.assessments.views._common import require_view
from grassroots.gatherings import selectors as gatherings
from grassroots.pages import attach_errors, paginate


@login_required
def site_meetings(request):
    if request.GET.get("kind") == "review_meeting":
        require_view(request, "gatherings.view")
        queryset = gatherings.list_for(request.user).filter(kind="review_meeting")
        return render(
            request,
            "assessments/site_meetings.html",
            {
                "page_obj": paginate(request, queryset),
                "kind": "review_meeting",
                "can_create": has_perm(request.user, "gatherings.manage"),
            },
        )
    require_view(request)
    area, filterset = site_meeting_rows(request)  # as its export (exports.py)
    return render(
        request,
        "assessments/site_meetings.html",
        {
            "page_obj": paginate(request, filterset.qs),
            "kind": "site_meeting",
            "area": area,
            "shows": filterset.form.cleaned_data.get("shows") or "",
            "shows_choices": Shows.choices,
            "can_create": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_meeting_create(request):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = SiteMeetingForm(request.POST or None, user=request.user, initial={"area": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_site_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("现场会已创建；参会人员、会议记录和照片在会议活动页面维护。"))
            return redirect(meeting.get_absolute_url())
    return render(
        request, "assessments/form.html", {"form": form, "title": _("新建现场会"), "icon": "geo-alt"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_meeting_edit(request, pk):
    meeting = selectors.site_meeting_or_404(request.user, pk)
    if not may_organize_site_meeting(meeting, request.user):
        raise PermissionDenied
    initial = {
        "host_area": meeting.host_area_id,
        "shows": meeting.shows,
        "task": meeting.task_id,
        "inspection": meeting.inspection_id,
        "practice_area": meeting.practice_area_id,
        "practice": meeting.practice,
        "visiting_orgs": [o.pk for o in meeting.visiting_orgs.all()],
        "agenda": meeting.gathering.description,
    }
    form = SiteMeetingForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_site_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("现场会已保存。"))
            return redirect(meeting.get_absolute_url())
    context = {
        "form": form,
        "title": _("编辑现场会"),
        "subtitle": meeting.gathering.title,
        "icon": "geo-alt",
        "cancel_url": meeting.get_absolute_url(),
    }
    return render(request, "assessments/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def site_meeting_detail(request, pk):
    meeting = selectors.site_meeting_or_404(request.user, pk)
    can_manage = may_organize_site_meeting(meeting, request.user)
    form = LessonForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_lesson(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("经验启示已记录。"))
                return redirect(meeting.get_absolute_url())
    gathering = meeting.gathering
    return render(
        request,
        "assessments/site_meeting_detail.html",
        {
            "meeting": meeting,
            "gathering": gathering,
            "photos": list(gathering.photos.all()),
            "present": gathering.participants.filter(present=True).count(),
            "findings": selectors.shown_findings(meeting),
            "lessons": selectors.lessons_of(meeting),
            "visiting": list(meeting.visiting_orgs.all()),
            "form": form,
            "can_manage": can_manage,
            "can_issue": can_manage and has_perm(request.user, "duties.issue", gathering.area),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_task(request, pk):
    """Turn a lesson into a task of the meeting's area (the issuing level)."""
    lesson = get_object_or_404(selectors.visible_lessons(request.user).select_related("meeting"), pk=pk)
    meeting = selectors.site_meeting_or_404(request.user, lesson.meeting_id)
    if not may_organize_site_meeting(meeting, request.user):
        raise PermissionDenied
    if lesson.task_id:
        messages.info(request, _("这条经验启示已转化为任务。"))
        return redirect(meeting.get_absolute_url())
    area = meeting.gathering.area
    form = LessonTaskForm(request.POST or None, user=request.user, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.lesson_to_task(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您无权为该区域下发任务。"))
        else:
            messages.success(request, _("已转化为任务并下发。"))
            return redirect("duties:task_detail", task.pk)
    context = {
        "form": form,
        "title": _("转化为任务"),
        "subtitle": lesson.text,
        "icon": "list-check",
        "cancel_url": meeting.get_absolute_url(),
    }
    return render(request, "assessments/form.html", context)
