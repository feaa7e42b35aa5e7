"""Inspection pages: the list, recording an inspection, an inspection with its findings (and the form to add
one), the rectification list with its states, one finding with its steps and timeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.assessments.exports import finding_rows, inspection_rows
from grassroots.core.assessments.filters import FindingFilter
from grassroots.core.assessments.forms import FindingForm, InspectionForm
from grassroots.core.assessments.models import Finding, FindingState
from grassroots.core.assessments.rules import MANAGE, may_verify_finding
from grassroots.core.assessments.selectors import inspections as selectors
from grassroots.core.assessments.services import inspections as services
from grassroots.core.assessments.views._common import require_view
from grassroots.pages import attach_errors, paginate


@login_required
def inspection_list(request):
    require_view(request)
    # the page's own check (404 outside the scope, the name shown); the filter narrows the list
    area, filterset = inspection_rows(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "assessments/inspection_list.html",
        {
            "page_obj": page,
            "year": filterset.form.cleaned_data.get("year"),
            "area": area,
            "can_create": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = InspectionForm(request.POST or None, user=request.user, initial={"area": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.create_inspection(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记督察，请逐条录入发现的问题。"))
            return redirect(inspection.get_absolute_url())
    return render(
        request, "assessments/form.html", {"form": form, "title": _("登记工作督察"), "icon": "search"}
    )


def _may_add_findings(user, inspection) -> bool:
    return may_verify_finding(Finding(inspection=inspection, area=inspection.area), user)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk):
    inspection = selectors.inspection_or_404(request.user, pk)
    can_add = _may_add_findings(request.user, inspection)
    form = None
    if can_add:
        owners = services.owner_candidates(inspection.area, inspection.party_org).order_by(
            "full_name", "username"
        )
        form = FindingForm(request.POST or None, inspection=inspection, owners=owners)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_finding(actor=request.user, inspection=inspection, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("已列入整改，责任人已收到通知。"))
                return redirect(inspection.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    findings = selectors.findings_for(request.user, inspection=inspection)
    return render(
        request,
        "assessments/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": findings,
            "counts": selectors.state_counts(findings),
            "form": form,
        },
    )


@login_required
def finding_list(request):
    mine = request.GET.get("mine") == "1"
    if not mine:
        require_view(request)
    # the page's own check (404 outside the scope, the name shown); the filter narrows the list
    area, filterset = finding_rows(request)
    findings = filterset.queryset
    page = paginate(request, filterset.qs)
    chosen = filterset.form.cleaned_data
    tabs = request.GET.copy()  # the counts on the tabs: every filter but the tab's own
    for name in ("state", "overdue", "page"):
        tabs.pop(name, None)
    counted = FindingFilter(tabs, queryset=findings, request=request).qs
    return render(
        request,
        "assessments/finding_list.html",
        {
            "page_obj": page,
            "counts": selectors.state_counts(counted),
            "state": chosen.get("state") or None,
            "overdue": bool(chosen.get("overdue")),
            "mine": mine,
            "area": area,
            "year": chosen.get("year"),
            "states": FindingState.choices,
        },
    )


@login_required
def finding_detail(request, pk):
    finding = selectors.finding_or_404(request.user, pk)
    return render(request, "assessments/finding_detail.html", {"finding": finding})
