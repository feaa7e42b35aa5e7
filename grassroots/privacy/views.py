"""Pages of a person's data rights: "我的个人信息" (everything held about them, downloads, requests), the
handlers' list of requests in their scope, and a request's page (timeline and the workflow's buttons)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.imports.xlsx import disposition, xlsx_response
from grassroots.pages import paginate
from grassroots.privacy import consent, services
from grassroots.privacy.exports import request_rows
from grassroots.privacy.forms import AgreeForm, RequestForm
from grassroots.privacy.models import DataRequest, RequestKind, RequestState
from grassroots.privacy.notice import NOTICE_VERSION


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "privacy/mine.html",
        {
            "sections": services.my_data(request.user),
            "requests": DataRequest.objects.filter(user=request.user).order_by("-submitted_at", "-pk"),
            "form": RequestForm(),
            "kinds": RequestKind,
            "standing": consent.standing(request.user),
        },
    )


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@login_required
@require_GET
def download(request, fmt: str):
    if fmt == "json":
        response = HttpResponse(
            services.export_json(user=request.user, request=request), content_type="application/json"
        )
        response["Content-Disposition"] = disposition(f"我的个人信息-{_stamp()}.json")
        return response
    content = services.export_xlsx(user=request.user, request=request)
    return xlsx_response(content, f"我的个人信息-{_stamp()}.xlsx")


@login_required
@require_POST
def submit(request):
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            record = services.submit_request(
                user=request.user, kind=form.cleaned_data["kind"], details=form.cleaned_data["details"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("申请已提交，办理结果会通过通知告诉您。"))
            return redirect(record)
    else:
        messages.error(request, _("申请未能提交，请检查填写的内容。"))
    return redirect("privacy:mine")


@login_required
@require_GET
def request_list(request):
    state, rows = request_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, 30)
    return render(
        request, "privacy/request_list.html", {"page": page, "state": state, "states": RequestState.choices}
    )


@login_required
@require_GET
def request_detail(request, pk: int):
    record = get_object_or_404(DataRequest.visible_to(request.user).select_related("user", "area"), pk=pk)
    return render(request, "privacy/request_detail.html", {"record": record})


@require_GET
def notice(request):
    """The privacy notice: public (read before registering)."""
    return render(request, "privacy/notice.html", {"version": NOTICE_VERSION})


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def agree(request):
    """The consent page: the notice and its box. A person who has not agreed to the current version (or
    withdrew) is sent here by the middleware and cannot go elsewhere but sign out, their data and their
    requests."""
    standing = consent.standing(request.user)
    form = AgreeForm(request.POST or None, initial={"version": NOTICE_VERSION})
    if request.method == "POST" and form.is_valid():
        try:
            services.agree_to_notice(user=request.user, version=form.cleaned_data["version"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("感谢您的确认。"))
            return redirect(_next_url(request))
    return render(
        request,
        "privacy/consent.html",
        {"form": form, "version": NOTICE_VERSION, "standing": standing, "next": request.GET.get("next", "")},
    )


@login_required
@require_POST
def withdraw(request):
    try:
        services.withdraw_consent(user=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("您已撤回同意。您仍可查看和下载本人信息、申请更正或删除；再次同意后即可继续使用平台。")
        )
    return redirect("privacy:mine")
