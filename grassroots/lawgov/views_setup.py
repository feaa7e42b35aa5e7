"""Setting up a legal service station: the station itself (one per community: name, address, hours,
phone), its workers (accounts holding the legal worker's role in its community, or names), its bodies'
recurring sessions (a gathering series with capacity) and its legal education events (a gathering of the
kind `legal_education`). Those who run the station (`lawgov.stations` on its community: the community's
staff, the officials above, its legal workers) do it; another area's user gets 404. Thin: the services of
services_stations decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.forms import submitted
from grassroots.lawgov import selectors_stations as selectors
from grassroots.lawgov import services_stations as services
from grassroots.lawgov.forms_stations import EducationForm, SessionForm, StationForm, WorkerForm
from grassroots.lawgov.models_stations import LegalWorker


def _managed(request, pk):
    return get_object_or_404(selectors.managed_stations(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def station_create(request):
    if not has_perm(request.user, services.MANAGE):
        raise PermissionDenied
    form = StationForm(request.POST or None, user=request.user)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.create_station(actor=request.user, **data),
        lambda station: reverse("lawgov:station_detail", args=[station.pk]),
        request=request,
        message=_("法律服务站已设立。"),
    )
    return done or render(request, "lawgov/station_form.html", {"form": form, "station": None})


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request, pk):
    station = _managed(request, pk)
    initial = {name: getattr(station, name) for name in services.STATION_FIELDS}
    form = StationForm(request.POST or None, station=station, initial=initial)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.update_station(
            actor=request.user, station=station, **{name: data[name] for name in services.STATION_FIELDS}
        ),
        reverse("lawgov:station_detail", args=[station.pk]),
        request=request,
        message=_("法律服务站已保存。"),
    )
    return done or render(request, "lawgov/station_form.html", {"form": form, "station": station})


@login_required
@require_http_methods(["GET", "POST"])
def station_workers(request, pk):
    """The station's workers on duty, each with 移除, and the form that adds one."""
    station = _managed(request, pk)
    form = WorkerForm(request.POST or None, station=station)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.add_worker(actor=request.user, station=station, **data),
        reverse("lawgov:station_workers", args=[station.pk]),
        request=request,
        message=lambda worker: _("已添加：%(name)s") % {"name": worker},
    )
    if done:
        return done
    workers = station.workers.filter(active=True).select_related("user")
    return render(
        request, "lawgov/station_workers.html", {"station": station, "form": form, "workers": workers}
    )


@require_POST
@login_required
def worker_remove(request, pk):
    worker = get_object_or_404(
        LegalWorker.objects.filter(station__in=selectors.managed_stations(request.user)), pk=pk
    )
    try:
        services.remove_worker(actor=request.user, worker=worker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移除：%(name)s") % {"name": worker})
    return redirect("lawgov:station_workers", pk=worker.station_id)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    """A body's recurring session at the station (e.g. the first Tuesday of every month), with capacity."""
    station = _managed(request, pk)
    form = SessionForm(request.POST or None)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.schedule_session(actor=request.user, station=station, **data),
        reverse("lawgov:station_detail", args=[station.pk]),
        request=request,
        message=lambda session: _("服务场次已安排：%(rule)s") % {"rule": session.series.rule_label},
    )
    return done or render(request, "lawgov/session_form.html", {"station": station, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def education_create(request, pk):
    """A legal education event (法治宣传教育) in the station's community: a gathering with attendance."""
    station = _managed(request, pk)
    form = EducationForm(request.POST or None)
    done = request.method == "POST" and submitted(
        form,
        lambda data: services.schedule_education(actor=request.user, station=station, **data),
        lambda event: reverse("gatherings:detail", args=[event.pk]),
        request=request,
        message=_("法治宣传教育活动已发布。"),
    )
    return done or render(request, "lawgov/education_form.html", {"station": station, "form": form})
