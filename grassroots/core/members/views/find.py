"""Find (寻找): mobile and lost-contact members with counts per area; contact attempts; registering a member
as mobile (the other status steps are buttons posting to the generic workflow view)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import working_area
from grassroots.core.members.exports import find_rows
from grassroots.core.members.forms.find import ContactAttemptForm, MobileForm, WhereaboutsForm
from grassroots.core.members.models import Member, MemberStatus
from grassroots.core.members.selectors import find as selectors
from grassroots.core.members.services import find as services
from grassroots.core.members.views._precisions import (
    back,
    member_for_change,
    require_view,
)
from grassroots.pages import attach_errors, paginate


@login_required
def find_list(request):
    """Mobile (or lost-contact) members, the longest in that status first, and both counts per child area
    of the chosen area (drill down by clicking a row)."""
    require_view(request)
    status, area, rows = find_rows(request)  # as its export (members/exports.py)
    root = area or working_area(request.user, "members.view")
    counts = selectors.find_counts(request.user, root) if root is not None else []
    context = {
        "status": status,
        "statuses": [(s, MemberStatus(s).label) for s in selectors.FIND_STATUSES],
        "area": area,
        "root": root,
        "counts": counts,
        "totals": selectors.totals(counts),
        "page_obj": paginate(request, rows),
    }
    return render(request, "members/find_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_attempt_add(request, pk):
    member = member_for_change(request, pk)
    form = ContactAttemptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact_attempt(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记联系记录。"))
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {"form": form, "member": member, "title": _("登记联系记录"), "icon": "telephone"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mark_mobile(request, pk):
    """The form of the step normal → mobile: where the member now lives and works."""
    member = member_for_change(request, pk)
    initial = {"mobile_location": member.mobile_location, "mobile_work": member.mobile_work}
    form = MobileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_mobile(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记为流动党员。"))
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {"form": form, "member": member, "title": _("登记为流动党员"), "icon": "geo"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mine_whereabouts(request):
    """A mobile member updates where they now live and work, on their own record (我的)."""
    member = (
        Member.objects.filter(user=request.user, status=MemberStatus.MOBILE).select_related("branch").first()
    )
    if member is None:
        raise Http404
    initial = {"mobile_location": member.mobile_location, "mobile_work": member.mobile_work}
    form = WhereaboutsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_whereabouts(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已更新流动去向。"))
            return redirect("members:mine")
    return render(
        request,
        "members/precision_form.html",
        {
            "form": form,
            "member": member,
            "title": _("更新流动去向"),
            "icon": "geo",
            "cancel_url": reverse("members:mine"),
            "own": True,
        },
    )
