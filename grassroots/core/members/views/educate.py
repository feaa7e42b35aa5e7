"""Educate (教育): this year's study hours and compliance per member and per branch; study records by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import scoped
from grassroots.core.members.exports import study_rows
from grassroots.core.members.forms.educate import StudyRecordForm
from grassroots.core.members.models import StudyRecord
from grassroots.core.members.selectors import educate as selectors
from grassroots.core.members.services import educate as services
from grassroots.core.members.views._precisions import (
    back,
    member_for_change,
    require_view,
)
from grassroots.pages import attach_errors, paginate


@login_required
def study_list(request):
    require_view(request)
    year, area, branch, behind, members = study_rows(request)  # as its export (members/exports.py)
    branches = paginate(request, selectors.branch_compliance(request.user, year=year, area=area), 10)
    branches.object_list = selectors.as_compliance(branches.object_list)
    context = {
        "year": year,
        "required": selectors.required_hours(),
        "area": area,
        "branch": branch,
        "behind": behind,
        "page_obj": paginate(request, members),
        "branches": branches,
    }
    return render(request, "members/study_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_add(request, pk):
    member = member_for_change(request, pk)
    form = StudyRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_study_record(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记学习记录。"))
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {"form": form, "member": member, "title": _("登记学习记录"), "icon": "book"},
    )


@login_required
@require_POST
def study_delete(request, pk):
    queryset = scoped(
        StudyRecord.objects.select_related("member", "member__branch__area"), request.user, "members.view"
    )
    record = get_object_or_404(queryset, pk=pk)
    try:
        services.delete_study_record(actor=request.user, record=record)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除学习记录。"))
    return back(request, record.member)
