"""The offices of an area (a street's 党建办, 服务办, 综治办), their staff, and their workloads side by side
(三办工作量)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import scoped
from grassroots.core.duties import selectors, services
from grassroots.core.duties.exports import OFFICES, office_rows, workload_rows
from grassroots.core.duties.forms import OfficeForm, OfficeMemberForm
from grassroots.core.duties.models import Office, OfficeMember
from grassroots.pages import attach_errors

# The offices are the street's and the levels above's (duties.offices, the permission their menu entries
# name); a community secretary, who issues tasks too, neither sees nor keeps them.
PERMISSION = OFFICES


def _back(area) -> str:
    return reverse("duties:offices") + f"?area={area.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def offices(request):
    area, live = office_rows(request)  # as its export (duties/exports.py)
    adding_staff = request.POST.get("form") == "member"
    form = OfficeForm(request.POST if request.method == "POST" and not adding_staff else None)
    member_form = OfficeMemberForm(
        request.POST if adding_staff else None,
        offices=live,
        candidates=services.staff_candidates(area),
    )
    if request.method == "POST":
        chosen, action = (member_form, "member") if adding_staff else (form, "office")
        if chosen.is_valid():
            try:
                if action == "member":
                    services.add_office_member(actor=request.user, **member_form.cleaned_data)
                else:
                    services.create_office(actor=request.user, area=area, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(chosen, exc)
            else:
                messages.success(request, _("科室人员已添加。") if adding_staff else _("科室已添加。"))
                return redirect(_back(area))
    context = {
        "area": area,
        "offices": live.prefetch_related("members__user"),
        "form": form,
        "member_form": member_form,
        "areas": selectors.list_areas(request.user, PERMISSION),
    }
    return render(request, "duties/offices.html", context)


@login_required
@require_POST
def office_retire(request, pk):
    office = get_object_or_404(scoped(Office.objects.select_related("area"), request.user, PERMISSION), pk=pk)
    services.retire_office(actor=request.user, office=office)
    messages.success(request, _("科室已撤销。"))
    return redirect(_back(office.area))


@login_required
@require_POST
def office_member_remove(request, pk):
    member = get_object_or_404(
        scoped(OfficeMember.objects.select_related("office__area"), request.user, PERMISSION), pk=pk
    )
    services.remove_office_member(actor=request.user, member=member)
    messages.success(request, _("已移出科室。"))
    return redirect(_back(member.office.area))


@login_required
def workload(request):
    """三办工作量: each office's staff, the received work it handles and the tasks it leads, side by side."""
    area, year, loads = workload_rows(request)  # as its export (duties/exports.py)
    context = {
        "area": area,
        "year": year,
        "loads": loads,
        "areas": selectors.list_areas(request.user, PERMISSION),
    }
    return render(request, "duties/office_workload.html", context)
