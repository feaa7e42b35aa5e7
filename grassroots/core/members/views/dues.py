"""Dues (党费): arrears per branch, the bracket table, setting a monthly amount, recording a payment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.core.members.exports import dues_rows
from grassroots.core.members.forms.manage import DuesAmountForm, DuesPaymentForm
from grassroots.core.members.selectors import dues as selectors
from grassroots.core.members.services import dues as services
from grassroots.core.members.views._precisions import (
    back,
    member_for_change,
    require_view,
)
from grassroots.pages import attach_errors, paginate


@login_required
def dues_list(request):
    """Members with months unpaid this year (most first), filtered by `?branch=`, and the branches with
    arrears (members, months) to pick from."""
    require_view(request)
    today = timezone.localdate()
    area, branch, members = dues_rows(request)  # as its export (members/exports.py)
    context = {
        "today": today,
        "area": area,
        "branch": branch,
        "page_obj": paginate(request, members),
        "branches": paginate(request, selectors.arrears_by_branch(request.user, area=area, today=today), 10),
    }
    return render(request, "members/dues_list.html", context)


@login_required
def dues_brackets(request):
    require_view(request)
    return render(request, "members/dues_brackets.html", {"brackets": selectors.brackets()})


@login_required
@require_http_methods(["GET", "POST"])
def dues_set(request, pk):
    member = member_for_change(request, pk)
    form = DuesAmountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_dues(
                actor=request.user,
                member=member,
                income=form.cleaned_data["income"],
                bracket=form.cleaned_data["category"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("月交党费已核定为 %(amount)s 元。") % {"amount": member.dues_monthly})
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {
            "form": form,
            "member": member,
            "title": _("核定月交党费"),
            "icon": "calculator",
            "brackets": selectors.brackets(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dues_pay(request, pk):
    member = member_for_change(request, pk)
    form = DuesPaymentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dues_payment(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记党费缴纳。"))
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {"form": form, "member": member, "title": _("登记党费缴纳"), "icon": "cash-coin"},
    )
