"""Pages of 费随事转, the funds ledger: the list with its filters and its xlsx export, allotting funds (to
one community, or to many at once), the record with its timeline, the two steps' forms (transfer: county;
receipt: community), and the figure "affairs without funds received" per child area, ranked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Level
from grassroots.areas.selectors import scope_roots
from grassroots.core.admission import selectors, services
from grassroots.core.admission.exports import funds_overview_rows, funds_rows
from grassroots.core.admission.forms import (
    AllotForm,
    BulkAllotForm,
    ReceiveForm,
    StreetAllotForm,
    TransferForm,
)
from grassroots.core.admission.models import FundsState, street_allotter
from grassroots.ids import as_id
from grassroots.pages import attach_errors, paginate
from grassroots.workflow.engine import TransitionRefused, check

FUNDS_TABS = [("", gettext_lazy("全部")), *FundsState.choices]


def _require_view(user) -> None:
    if not has_perm(user, "admission.view"):
        raise PermissionDenied


@login_required
def funds_list(request):
    _require_view(request.user)
    filterset, cleaned = funds_rows(request)
    context = {
        "page_obj": paginate(request, filterset.qs),
        "state": cleaned.get("state") or "",
        "year": cleaned.get("year"),
        "q": cleaned.get("q") or "",
        "tabs": FUNDS_TABS,
        "can_allot": has_perm(request.user, "admission.manage"),
    }
    return render(request, "admission/funds_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def funds_create(request):
    if not has_perm(request.user, "admission.manage"):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year, "allotted_on": timezone.localdate()}
    initial.update({k: pk for k in ("affair", "community") if (pk := as_id(request.GET.get(k)))})
    form = AllotForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.allot_funds(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("随事经费已下达，等待拨付。"))
            return redirect(entry)
    return render(request, "admission/funds_form.html", {"form": form})


@login_required
def funds_area_options(request):
    """htmx: what the allot forms' search box finds by ?q= — the name of a community or a street, or the start
    of a code. The single allot form: the <option>s of its area select (grouped by street). The bulk form
    (`?for=bulk`): its communities' checkboxes grouped by street, the ticked ones (`communities`, `streets`)
    kept in the list."""
    if not has_perm(request.user, "admission.manage"):
        raise PermissionDenied
    query = request.GET.get("q", "")
    if request.GET.get("for") == "bulk":
        return render(request, "admission/_bulk_groups.html", _bulk_groups(request, request.GET, query))
    areas = selectors.search_allot_areas(request.user, query)
    groups = selectors.allot_options(areas[: selectors.ALLOT_OPTIONS_LIMIT])
    return render(request, "admission/_area_options.html", {"groups": groups})


def _bulk_groups(request, data, query: str) -> dict:
    """The bulk form's communities grouped by street (the page and its search answer draw the same)."""
    groups, cut = selectors.bulk_allot_groups(request.user, query, data.getlist("communities"))
    streets = set(data.getlist("streets"))
    return {
        "groups": groups,
        "cut": cut,
        "limit": selectors.ALLOT_OPTIONS_LIMIT,
        "streets": streets,
        "q": query,
    }


@login_required
@require_http_methods(["GET", "POST"])
def funds_bulk(request):
    """批量下达: one affair's funds of a year to many communities by one document, all or nothing; a refused
    community is named at the communities field and nothing is written. The communities are grouped by street,
    each with 整个街道, and a search box (?q=; with htmx, typing asks `funds_area_options?for=bulk`)."""
    if not has_perm(request.user, "admission.manage"):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year, "allotted_on": timezone.localdate()}
    form = BulkAllotForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.allot_funds_to_many(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已向 %(n)d 个社区下达随事经费。") % {"n": len(entries)})
            year = form.cleaned_data["year"]
            return redirect(reverse("admission:funds_list") + f"?year={year}&state={FundsState.ALLOTTED}")
    context = {"form": form, **_bulk_groups(request, request.POST, request.GET.get("q", ""))}
    return render(request, "admission/funds_bulk.html", context)


@login_required
def funds_detail(request, pk):
    entry = selectors.get_funds_or_404(request.user, pk)
    context = {"entry": entry}
    if entry.area.level == Level.STREET:
        context.update(
            passed_on=entry.passed_on.select_related("area").order_by("area__path"),
            left=services.street_funds_left(entry),
            can_pass_on=entry.state == FundsState.RECEIVED and street_allotter(entry, request.user),
        )
    return render(request, "admission/funds_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def funds_street_allot(request, pk):
    """街道下达: the street's officials allot the funds their street received (this row) on to communities of
    the street, by one document, all or nothing (`services.allot_from_street`). 404 outside the viewer's
    scope, 403 for anyone but an official of that street."""
    source = selectors.get_funds_or_404(request.user, pk)
    if not street_allotter(source, request.user):
        raise PermissionDenied(_("只有本街道的干部可以下达本街道统筹的随事经费。"))
    form = StreetAllotForm(request.POST or None, source=source, initial={"allotted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.allot_from_street(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已向 %(n)d 个社区下达随事经费。") % {"n": len(entries)})
            return redirect(source)
    context = {"form": form, "entry": source, "left": services.street_funds_left(source)}
    return render(request, "admission/funds_street_allot.html", context)


def _step_page(request, pk, name, form_class, take, done, template):
    """A step whose page has a form of its own: 404 outside the scope, 403 with the workflow's reason when
    the step is not the user's to take."""
    entry = selectors.get_funds_or_404(request.user, pk)
    try:
        check(entry, name, actor=request.user, comment="-")
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            take(entry, form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done)
            return redirect(entry)
    return render(request, template, {"entry": entry, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def funds_transfer(request, pk):
    def take(entry, data):
        attachment = data.pop("attachment", None)
        services.transfer_funds(
            entry, actor=request.user, attachments=[attachment] if attachment else [], **data
        )

    return _step_page(
        request, pk, "transfer", TransferForm, take, _("已登记拨付。"), "admission/funds_transfer.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def funds_receive(request, pk):
    def take(entry, data):
        services.confirm_funds_received(entry, actor=request.user, **data)

    return _step_page(
        request, pk, "receive", ReceiveForm, take, _("已确认到账。"), "admission/funds_receive.html"
    )


@login_required
def funds_overview(request):
    """The figure "affairs without funds received" of a year for an area and each child area, ranked (most
    first): for officials above the communities."""
    _require_view(request.user)
    area, year, lines, total = funds_overview_rows(request)  # as its export (admission/exports.py)
    context = {
        "area": area,
        "year": year,
        "lines": lines,
        "total": total,
        "roots": scope_roots(request.user, "admission.view"),
        "community_level": Level.COMMUNITY,
    }
    return render(request, "admission/funds_overview.html", context)
