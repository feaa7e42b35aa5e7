"""Pages of 社区事务准入制: the catalog and its affairs, the requests (steps are taken with the generic
workflow buttons), and what each community carries with its funds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.selectors import scope_roots
from grassroots.core.admission import selectors, services
from grassroots.core.admission.exports import catalog_rows, community_rows, request_rows
from grassroots.core.admission.forms import AffairForm, EndAffairForm, RequestForm
from grassroots.core.admission.models import RequestState
from grassroots.pages import attach_errors, paginate, year_param

REQUEST_TABS = [("pending", gettext_lazy("待我处理")), ("", gettext_lazy("全部")), *RequestState.choices]


def _require_view(user) -> None:
    if not has_perm(user, "admission.view"):
        raise PermissionDenied


@login_required
def catalog(request):
    _require_view(request.user)
    filterset = catalog_rows(request)  # as its export (exports.py)
    context = {
        "page_obj": paginate(request, filterset.qs),
        "valid": filterset.form.cleaned_data.get("valid"),
        "q": filterset.form.cleaned_data.get("q", ""),
        "can_manage": has_perm(request.user, "admission.manage"),
        "can_request": has_perm(request.user, "admission.request"),
        "today": timezone.localdate(),
    }
    return render(request, "admission/catalog.html", context)


@login_required
def affair_detail(request, pk):
    affair = selectors.get_affair_or_404(request.user, pk)
    year = year_param(request)
    may_manage = selectors.may_manage(request.user, affair)
    context = {
        "affair": affair,
        "year": year,
        "carriers": selectors.affair_carriers(request.user, affair, year),
        "may_manage": may_manage,
        "may_allot": has_perm(request.user, "admission.manage"),
        "end_form": EndAffairForm(initial={"valid_to": affair.valid_to}) if may_manage else None,
        "today": timezone.localdate(),
    }
    return render(request, "admission/affair_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def affair_create(request):
    if not has_perm(request.user, "admission.manage"):
        raise PermissionDenied
    form = AffairForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            affair = services.add_affair(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("事项已纳入社区事务准入目录。"))
            return redirect(affair.get_absolute_url())
    return render(request, "admission/affair_form.html", {"form": form})


@login_required
@require_POST
def affair_end(request, pk):
    affair = selectors.get_affair_or_404(request.user, pk)
    form = EndAffairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效期至。"))
        return redirect(affair.get_absolute_url())
    try:
        services.end_affair(actor=request.user, affair=affair, valid_to=form.cleaned_data["valid_to"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已调整有效期。"))
    return redirect(affair.get_absolute_url())


@login_required
def request_list(request):
    _require_view(request.user)
    state, rows = request_rows(request)  # as its export (exports.py)
    context = {
        "page_obj": paginate(request, rows),
        "state": state,
        "tabs": REQUEST_TABS,
        "can_request": has_perm(request.user, "admission.request"),
    }
    return render(request, "admission/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not has_perm(request.user, "admission.request"):
        raise PermissionDenied
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.file_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("申请已提交，等待街道审核。"))
            return redirect(item.get_absolute_url())
    return render(request, "admission/request_form.html", {"form": form})


@login_required
def request_detail(request, pk):
    item = selectors.get_request_or_404(request.user, pk)
    affair = getattr(item, "affair", None) if item.state == RequestState.APPROVED else None
    return render(request, "admission/request_detail.html", {"item": item, "affair": affair})


@login_required
def communities(request):
    """Per community under an area: the affairs it carries in a year and the funds that came with them."""
    _require_view(request.user)
    area, year, rows = community_rows(request)  # as its export (exports.py)
    if area.level == Level.COMMUNITY:
        return redirect("admission:community_detail", pk=area.pk)
    context = {
        "area": area,
        "year": year,
        "page_obj": paginate(request, rows),
        "totals": selectors.carried_totals(request.user, area, year),
        "roots": scope_roots(request.user, "admission.view"),
    }
    return render(request, "admission/communities.html", context)


@login_required
def community_detail(request, pk):
    community = get_scoped_or_404(
        Area.objects.filter(level=Level.COMMUNITY), request.user, "admission.view", pk=pk
    )
    year = year_param(request)
    context = {
        "community": community,
        "year": year,
        "rows": selectors.carried_by(community, year),
        "totals": selectors.community_totals(community, year),
    }
    return render(request, "admission/community_detail.html", context)
