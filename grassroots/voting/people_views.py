"""Pages of the people votes count: households (户) built from the residents' addresses, and the standing
resident representatives (居民代表) of each community. For `voting.manage` on its areas; thin: the services
(services/households.py, services/representatives.py) decide."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm, scope_q, scoped
from grassroots.accounts.models import User
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.audit.actor import log_access
from grassroots.pages import attach_errors, paginate
from grassroots.voting import selectors
from grassroots.voting.exports import household_rows, representative_rows
from grassroots.voting.forms import AddMemberForm, HouseholdForm, RepresentativeForm
from grassroots.voting.models import Household, Representative
from grassroots.voting.services import households, representatives

# How many residents without a household the page lists by address (the rest: narrow by area).
UNHOUSED_SHOWN = 200


def _require_manage(request) -> None:
    if not has_perm(request.user, "voting.manage"):
        raise PermissionDenied


@login_required
def household_list(request):
    """The households of the worker's areas, and the verified residents not in one yet, by address."""
    _require_manage(request)
    user = request.user
    queryset = household_rows(request)
    q = (request.GET.get("q") or "").strip()[:50]
    unhoused = list(
        selectors.residents_without_household(scope_q(user, "voting.manage", "home_area__path"))[
            : UNHOUSED_SHOWN + 1
        ]
    )
    by_address = [
        (address, list(people))
        for address, people in groupby(unhoused[:UNHOUSED_SHOWN], lambda u: u.home_area)
    ]
    return render(
        request,
        "voting/households.html",
        {
            "page_obj": paginate(request, queryset),
            "q": q,
            "by_address": by_address,
            "more_unhoused": len(unhoused) > UNHOUSED_SHOWN,
        },
    )


def _unhoused_at(user, area):
    return selectors.residents_without_household(
        scope_q(user, "voting.manage", "home_area__path") & under_q(area.path, "home_area__path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    """A new household; from an address (?area=) its unhoused residents are offered as members."""
    _require_manage(request)
    address = None
    area_id = request.POST.get("area") or request.GET.get("area")
    if area_id:
        try:
            address = scoped(Area.objects.filter(retired=False), request.user, "voting.manage").get(
                pk=area_id
            )
        except (Area.DoesNotExist, ValueError, TypeError):
            address = None
    residents = _unhoused_at(request.user, address) if address else User.objects.none()
    form = HouseholdForm(request.POST or None, user=request.user, address=address, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            household = households.create_household(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已建户：%(name)s") % {"name": household.name})
            return redirect("voting:household", household.pk)
    return render(request, "voting/household_form.html", {"form": form, "address": address})


def _household_or_404(request, pk) -> Household:
    try:
        return scoped(Household.objects.select_related("area"), request.user, "voting.manage").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def household_detail(request, pk):
    """A household's members; add a resident of its address, or take one out."""
    household = _household_or_404(request, pk)
    form = AddMemberForm(
        request.POST if "add" in request.POST else None,
        residents=_unhoused_at(request.user, household.area),
    )
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                person = get_object_or_404(
                    household.members.select_related("user"), user=request.POST["remove"]
                )
                households.remove_member(actor=request.user, household=household, user=person.user)
                messages.success(request, _("已将 %(name)s 移出本户。") % {"name": person.user.display_name})
                return redirect("voting:household", household.pk)
            if form.is_valid():
                households.add_member(actor=request.user, household=household, user=form.cleaned_data["user"])
                messages.success(request, _("已加入本户。"))
                return redirect("voting:household", household.pk)
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            attach_errors(form, exc)
    members = household.members.select_related("user__home_area").order_by("user__full_name")
    if request.method == "GET":
        log_access(actor=request.user, instance=household)  # its people's names and addresses: 查看
    return render(
        request,
        "voting/household_detail.html",
        {"household": household, "members": members, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_list(request):
    """The communities' resident representatives (standing first); record a new one."""
    _require_manage(request)
    form = RepresentativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            representatives.appoint_representative(
                actor=request.user,
                community=form.cleaned_data["community"],
                user=form.cleaned_data["user"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记居民代表。"))
            return redirect("voting:representatives")
    return render(
        request,
        "voting/representatives.html",
        {"page_obj": paginate(request, representative_rows(request)), "form": form},  # as its export
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def representative_retire(request, pk):
    try:
        found = scoped(Representative.objects.select_related("community"), request.user, "voting.manage").get(
            pk=pk
        )
    except (Representative.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    try:
        representatives.retire_representative(actor=request.user, representative=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("voting:representatives")
