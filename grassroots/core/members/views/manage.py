"""Manage (管理): conversions due of probationary members; transfers of the membership relation (list,
request, the transfer's page with its steps and timeline, the release form with the letter number)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.members.exports import conversion_rows, transfer_rows
from grassroots.core.members.forms.manage import ReleaseForm, TransferRequestForm
from grassroots.core.members.selectors import manage as selectors
from grassroots.core.members.services import manage as services
from grassroots.core.members.views._precisions import (
    own_or_scoped_member,
    require_view,
    transfer_or_404,
)
from grassroots.pages import attach_errors, paginate
from grassroots.workflow.selectors import available_transitions


@login_required
def conversions(request):
    """Probationary members whose conversion falls due within `?days=` (60 by default; overdue first)."""
    require_view(request)
    days, area, rows = conversion_rows(request)  # as its export (members/exports.py)
    page = paginate(request, rows)
    page.object_list = selectors.with_due_dates(page.object_list, timezone.localdate())
    return render(request, "members/conversions.html", {"page_obj": page, "days": days, "area": area})


@login_required
def transfers(request):
    """Open transfers (to release on the old side, to receive on the new one) or the history."""
    tab, rows = transfer_rows(request)  # as its export (members/exports.py)
    page = paginate(request, rows)
    return render(request, "members/transfers.html", {"page_obj": page, "tab": tab})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request, pk):
    """Ask for a member's transfer: the old branch's side, or the member for their own record."""
    member = own_or_scoped_member(request, pk)
    form = TransferRequestForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.request_transfer(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已提交组织关系转接申请。"))
            return redirect(transfer.get_absolute_url())
    own = member.user_id == request.user.pk and not has_perm(request.user, "members.view", member)
    context = {"form": form, "member": member, "title": _("申请组织关系转接"), "icon": "arrow-left-right"}
    if own:  # the member asking for themself: their page is 我的
        context.update(own=True, cancel_url=reverse("members:mine"))
    return render(request, "members/precision_form.html", context)


@login_required
def transfer_detail(request, pk):
    transfer = transfer_or_404(request, pk)
    return render(request, "members/transfer_detail.html", {"transfer": transfer})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_release(request, pk):
    """The old branch releases the relation with its letter number (the step 转出 has a form of its own)."""
    transfer = transfer_or_404(request, pk)
    if not any(t.name == "release" for t in available_transitions(transfer, request.user)):
        raise PermissionDenied
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.release_transfer(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已转出，等待新支部接收。"))
            return redirect(transfer.get_absolute_url())
    return render(
        request,
        "members/precision_form.html",
        {
            "form": form,
            "member": transfer.member,
            "title": _("转出组织关系"),
            "icon": "box-arrow-right",
            "subtitle": str(transfer),
            "cancel_url": transfer.get_absolute_url(),
        },
    )
