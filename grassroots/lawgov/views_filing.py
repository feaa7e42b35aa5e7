"""Filing a dispute, on the phone: a verified resident from 我的纠纷 (online), a grid worker on residents'
behalf (from their pages and a visit of their log), a legal worker or mediator at the station (from the
station page) — one service function, `services_disputes.file_dispute`, with the intake channel set; after
filing, the case page. And the search box's options: residents found by name among those the user serves.
Thin: the services decide; every record is read through the selectors (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.ids import as_id
from grassroots.lawgov import selectors_filing as selectors
from grassroots.lawgov import services_disputes as services
from grassroots.lawgov.forms_filing import RESIDENT_OPTIONS, DisputeForm, resident_label
from grassroots.lawgov.models_disputes import Channel


def _file(request, form, *, channel: str, context: dict, template="lawgov/dispute_new.html"):
    """The form posted: filed → the case page; else the form again with the refusal at its fields (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.file_dispute(actor=request.user, channel=channel, **form.service_kwargs())
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or None)
        except ValidationError as exc:
            for key, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc)]:
                form.add_error(form.error_field(key) if key else None, errors)
        else:
            messages.success(request, _("纠纷已受理，案件编号 %(number)s。") % {"number": dispute.number})
            return redirect(dispute.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, "channel": channel, **context}, status=status)


@login_required
def dispute_new(request):
    """A resident applies for mediation online: only a real-name verified resident of a community (the
    service's rule, as the API's); others read why and where to get verified."""
    user = request.user
    if not services.may_file_online(user):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "lawgov/dispute_new.html", {"form": None, "channel": Channel.ONLINE})
    areas = selectors.home_places(user)
    initial = {"area": user.home_area_id if areas.filter(pk=user.home_area_id).exists() else None}
    form = DisputeForm(request.POST or None, areas=areas, initial=initial)
    return _file(request, form, channel=Channel.ONLINE, context={})


def _prefill_from_visit(request) -> dict:
    """A visit of the grid worker's own log (`?visit=`): its place, the resident visited, what was heard."""
    from grassroots.gridwork.selectors import my_visits

    pk = as_id(request.GET.get("visit"))
    if pk is None:
        return {}
    visit = get_object_or_404(my_visits(request.user), pk=pk)
    initial = {"area": visit.area_id, "description": visit.heard}
    if visit.resident_id:
        initial["applicant"] = visit.resident_id
    return initial


@login_required
def dispute_intake(request):
    """A grid worker (or the community's staff) files a dispute for residents of their areas."""
    user = request.user
    if not has_perm(user, selectors.INTAKE):
        raise PermissionDenied
    initial = _prefill_from_visit(request) if request.method == "GET" else {}
    data = request.POST or None
    form = DisputeForm(
        data,
        areas=selectors.intake_places(user),
        residents=selectors.intake_residents(user),
        intake=True,
        levels=services.intake_levels(user),
        initial=initial,
    )
    return _file(request, form, channel=Channel.GRID, context={})


@login_required
def station_dispute_new(request, pk):
    """A legal worker or mediator files a dispute at the station, for a resident of its community."""
    station = get_object_or_404(selectors.intake_stations(request.user), pk=pk)
    form = DisputeForm(
        request.POST or None,
        areas=selectors.station_places(station),
        residents=selectors.station_residents(station),
        intake=True,
        levels=services.intake_levels(request.user, station.area),
        initial={"area": station.area_id},
    )
    return _file(request, form, channel=Channel.STATION, context={"station": station})


@login_required
def resident_options(request):
    """htmx: the <option>s of a resident picker matching ?q= (a name): the residents of the areas the user
    files disputes or runs a station in; at most RESIDENT_OPTIONS."""
    if not (has_perm(request.user, selectors.INTAKE) or has_perm(request.user, selectors.STATIONS)):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    residents = selectors.findable_residents(request.user)
    options = []
    if query:
        found = residents.filter(full_name__icontains=query)[:RESIDENT_OPTIONS]
        options = [(u.pk, resident_label(u)) for u in found]
    return render(request, "lawgov/resident_options.html", {"options": options, "query": query})
