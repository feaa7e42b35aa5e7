"""Volunteer activities' pages (docs/cogov.md, 志愿活动): the volunteer's phone view (activities near me, my
sign-ups, my hours), an activity's page with the volunteer's own steps, and the organizer's pages (the
activities with hours to confirm; an activity's sheet: check-in and check-out per participant, confirm the
hours, reverse a credit). Thin: the selectors read through the gatherings' visibility and the scoping
function, the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.cogov import selectors_activities as selectors
from grassroots.cogov import services_activities as services
from grassroots.cogov.exports import organizer_rows
from grassroots.cogov.forms_activities import ReverseForm, TimesForm
from grassroots.cogov.models import Volunteer
from grassroots.cogov.selectors import VOLUNTEER
from grassroots.gatherings.selectors import can_manage
from grassroots.pages import attach_errors, paginate

SELF_STEPS = {
    "sign_up": (services.join_activity, _("报名成功。")),
    "cancel": (services.leave_activity, _("已取消报名。")),
    "check_in": (services.check_in, _("签到成功。")),
    "check_out": (services.check_out, _("签退成功。")),
}


@login_required
def my_activities(request):
    """The volunteer's phone view."""
    user = request.user
    if not has_perm(user, VOLUNTEER):
        raise PermissionDenied
    now = timezone.now()
    return render(
        request,
        "cogov/activities.html",
        {
            "volunteer": Volunteer.objects.filter(user=user).select_related("area").first(),
            "near": list(selectors.near_me(user, now)[:20]),
            "upcoming": list(selectors.my_sign_ups(user, now)[:20]),
            "past": list(selectors.my_sign_ups(user, now, upcoming=False)[:10]),
            "credits": list(selectors.my_credits(user)[:20]),
            "total": selectors.my_total(user),
            "may_organize": has_perm(user, selectors.MANAGE),
        },
    )


@login_required
def organizer_list(request):
    """The organizer's activities: hours to confirm, and those coming."""
    user = request.user
    if not has_perm(user, selectors.MANAGE):
        raise PermissionDenied
    return render(
        request,
        "cogov/activities_organizer.html",
        {
            "to_confirm": list(selectors.to_confirm(user, timezone.now())[:50]),
            "page_obj": paginate(request, organizer_rows(request)),  # as its export (exports.py)
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int):
    activity = selectors.get_activity_or_404(request.user, pk)
    if request.method == "POST":
        step = SELF_STEPS.get(request.POST.get("action", ""))
        if step is None:
            messages.error(request, _("无效的操作。"))
        else:
            func, done = step
            try:
                func(user=request.user, gathering=activity)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done)
        return redirect("cogov:activity_detail", pk=activity.pk)
    now = timezone.now()
    mine = activity.participants.filter(user=request.user).first()
    credit = selectors.my_credits(request.user).filter(gathering=activity, reversed_at__isnull=True).first()
    counted = selectors.gatherings.with_counts(
        selectors.activities(request.user).filter(pk=activity.pk), request.user
    ).first()
    return render(
        request,
        "cogov/activity_detail.html",
        {
            "activity": activity,
            "counts": counted,
            "mine": mine,
            "credit": credit,
            "signup_open": activity.signup_is_open(now),
            "check_in_open": activity.check_in_is_open(now),
            "may_manage": can_manage(request.user, activity),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_roster(request, pk: int):
    """The organizer's sheet: check in / check out a participant now, or correct their times; confirm the
    hours; reverse a credit with a reason."""
    activity = selectors.get_activity_or_404(request.user, pk)
    if not can_manage(request.user, activity):
        raise PermissionDenied
    times_form, reverse_form = TimesForm(), ReverseForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                result = services.confirm_hours(actor=request.user, gathering=activity)
                messages.success(
                    request,
                    _("已确认 %(n)d 人的服务时长，共 %(h)s 小时。")
                    % {"n": len(result.credited), "h": result.hours},
                )
                for name, why in result.skipped:
                    messages.warning(request, _("%(name)s 未计入：%(why)s") % {"name": name, "why": why})
                return redirect("cogov:activity_roster", pk=activity.pk)
            if action in ("check_in", "check_out"):
                participant = _participant(activity, request.POST.get("person"))
                now = timezone.now()
                services.record_times(
                    actor=request.user,
                    gathering=activity,
                    person=participant.user,
                    checked_in_at=now if action == "check_in" else participant.checked_in_at,
                    checked_out_at=now if action == "check_out" else participant.checked_out_at,
                )
                messages.success(request, _("已记录。"))
                return redirect("cogov:activity_roster", pk=activity.pk)
            if action == "times":
                times_form = TimesForm(request.POST)
                if times_form.is_valid():
                    data = times_form.cleaned_data
                    participant = _participant(activity, data["person"])
                    try:
                        services.record_times(
                            actor=request.user,
                            gathering=activity,
                            person=participant.user,
                            checked_in_at=data["checked_in_at"],
                            checked_out_at=data["checked_out_at"],
                        )
                    except ValidationError as exc:
                        attach_errors(times_form, exc)
                    else:
                        messages.success(request, _("签到签退时间已保存。"))
                        return redirect("cogov:activity_roster", pk=activity.pk)
            elif action == "reverse":
                reverse_form = ReverseForm(request.POST)
                if reverse_form.is_valid():
                    data = reverse_form.cleaned_data
                    credit = selectors.visible_credit_or_404(request.user, activity, data["credit"])
                    try:
                        services.reverse_hours(actor=request.user, credit=credit, reason=data["reason"])
                    except ValidationError as exc:
                        attach_errors(reverse_form, exc)
                    else:
                        messages.success(request, _("服务时长已撤销。"))
                        return redirect("cogov:activity_roster", pk=activity.pk)
            else:
                messages.error(request, _("无效的操作。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("cogov:activity_roster", pk=activity.pk)
    return render(
        request,
        "cogov/activity_roster.html",
        {
            "activity": activity,
            "rows": selectors.roster(activity),
            "credits": list(selectors.credits_of(activity)),
            "times_form": times_form,
            "reverse_form": reverse_form,
            "ended": timezone.now() >= activity.ends_at,
        },
    )


def _participant(activity, person):
    from django.http import Http404

    try:
        return activity.participants.select_related("user").get(user_id=int(person))
    except (ValueError, TypeError, activity.participants.model.DoesNotExist) as exc:
        raise Http404 from exc
