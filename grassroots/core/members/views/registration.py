"""Pages of dual registration (双报到): the community's list of registered members and organizations with
their service hours, one registration with its timeline and the steps the viewer may take (confirm, return,
end — posted to the generic workflow view), and the forms that register a member or a unit's Party
organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.core.members.exports import registration_rows
from grassroots.core.members.forms.registration import MemberRegistrationForm, OrgRegistrationForm
from grassroots.core.members.selectors import records as record_selectors
from grassroots.core.members.selectors import registration as selectors
from grassroots.core.members.services import registration as services
from grassroots.core.members.views.records import attach_member_errors, require
from grassroots.pages import paginate

PAGE_SIZE = 30
VIEW, CHANGE = record_selectors.VIEW, record_selectors.CHANGE


@login_required
def registration_list(request):
    """Registrations in the viewer's sight, open ones by default; the totals (confirmed members and
    organizations, service hours) follow the filter. Queries: totals, count, page — whatever the rows."""
    user = request.user
    require(user, VIEW)
    filterset = registration_rows(request)  # as its export (members/exports.py)
    rows = filterset.qs.order_by("community__path", "-state", "-created_at", "pk")
    page = paginate(request, rows, PAGE_SIZE)
    context = {
        "filter": filterset,
        "page_obj": page,
        "totals": selectors.totals(filterset.qs),
        "areas": record_selectors.area_choices(user),
        "can_register_org": bool(record_selectors.branch_choices(user, CHANGE)),
    }
    return render(request, "members/registrations.html", context)


@login_required
def registration_detail(request, pk: int):
    registration = selectors.get_registration_or_404(request.user, pk)
    return render(request, "members/registration_detail.html", {"registration": registration})


def _member_form(request, member, *, cancel_url: str):
    own = member.user_id is not None and member.user_id == request.user.pk
    form = MemberRegistrationForm(
        request.POST if request.method == "POST" else None,
        registrar=None if own else request.user,
        member=member,
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_member(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_member_errors(form, exc)
        else:
            messages.success(request, _("报到申请已提交，等待社区确认。"))
            return redirect(registration.get_absolute_url())
    home = services.community_of(member.home_area)
    context = {"form": form, "member": member, "home": home, "cancel_url": cancel_url}
    return render(request, "members/registration_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_member(request, pk: int):
    """Register a member whose record the viewer keeps."""
    member = record_selectors.get_member_or_404(request.user, pk)
    require(request.user, CHANGE, member)
    return _member_form(request, member, cancel_url=member.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def register_me(request):
    """我的: the member registers themself with the community where they live."""
    member = record_selectors.member_of(request.user)
    if member is None:
        raise Http404
    return _member_form(request, member, cancel_url=reverse("members:mine"))


@login_required
@require_http_methods(["GET", "POST"])
def registration_org(request):
    """Register a unit's Party organization the viewer is responsible for."""
    user = request.user
    require(user, CHANGE)
    form = OrgRegistrationForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_org(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            attach_member_errors(form, exc)
        else:
            messages.success(request, _("报到申请已提交，等待社区确认。"))
            return redirect(registration.get_absolute_url())
    return render(request, "members/registration_form.html", {"form": form, "member": None})
