"""The legal service stations' pages: the station (workers, hours, the calendar of its sessions' upcoming
occurrences, booking and cancelling a place on the phone), the consultations a legal worker records (with a
referral to mediation that files a case on the dispute platform). Thin: the services decide; every record is
read through selectors_stations (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.access.scoping import has_perm
from grassroots.audit.actor import log_access
from grassroots.forms import refused
from grassroots.lawgov import selectors_stations as selectors
from grassroots.lawgov import services_stations as services
from grassroots.lawgov.exports import station_consultations, station_rows
from grassroots.lawgov.forms_stations import ConsultationForm
from grassroots.lawgov.models_stations import Referral
from grassroots.pages import paginate


@login_required
def station_list(request):
    """The stations one runs or lives by; a resident with one station goes straight to it."""
    stations = list(station_rows(request)[:200])
    if len(stations) == 1 and not has_perm(request.user, services.MANAGE):
        return redirect("lawgov:station_detail", pk=stations[0].pk)
    may_create = has_perm(request.user, services.MANAGE)
    return render(request, "lawgov/station_list.html", {"stations": stations, "may_create": may_create})


@login_required
def station_detail(request, pk):
    station = get_object_or_404(selectors.visible_stations(request.user), pk=pk)
    calendar = list(selectors.occurrences([station.pk])[:60])
    booked = _booked(request.user, calendar)
    return render(
        request,
        "lawgov/station_detail.html",
        {
            "station": station,
            "workers": list(station.workers.filter(active=True)),
            "calendar": calendar,
            "booked": booked,
            "may_manage": has_perm(request.user, services.MANAGE, station.area),
            "may_intake": has_perm(request.user, "lawgov.intake", station.area),
            "sessions": selectors.sessions_of(station),
            "education": selectors.education_events(request.user, station),
        },
    )


def _booked(user, calendar) -> set[int]:
    from grassroots.gatherings.models import Participant

    return set(
        Participant.objects.filter(
            user=user, gathering__in=[o.pk for o in calendar], signed_up_at__isnull=False
        ).values_list("gathering_id", flat=True)
    )


def _occurrence(request, pk):
    return get_object_or_404(selectors.visible_occurrence(request.user, pk))


@require_POST
@login_required
def occurrence_book(request, pk):
    occurrence = _occurrence(request, pk)
    try:
        services.book(user=request.user, occurrence=occurrence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已预约：%(title)s") % {"title": occurrence.title})
    return redirect("lawgov:station_detail", pk=occurrence.series.legal_session.station_id)


@require_POST
@login_required
def occurrence_cancel(request, pk):
    occurrence = _occurrence(request, pk)
    try:
        services.cancel_booking(user=request.user, occurrence=occurrence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已取消预约：%(title)s") % {"title": occurrence.title})
    return redirect("lawgov:station_detail", pk=occurrence.series.legal_session.station_id)


@login_required
def consultations(request, pk):
    """A station's consultations, newest first, and the form a legal worker records one with."""
    station = get_object_or_404(selectors.managed_stations(request.user), pk=pk)
    form = ConsultationForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                consultation = services.record_consultation(
                    actor=request.user,
                    station=station,
                    topic=data["topic"],
                    question=data["question"],
                    answer=data["answer"],
                    referral=data["referral"],
                    referred_to=data["referred_to"],
                    resident=data["resident"],
                    occurrence=data["occurrence"],
                    submission=data["submission"],
                )
                if data["referral"] == Referral.MEDIATION:
                    services.refer_to_mediation(
                        actor=request.user, consultation=consultation, respondent=data["respondent"]
                    )
        except (ValidationError, PermissionDenied) as exc:
            refused(form, exc)
        else:
            messages.success(request, _("咨询已登记。"))
            return redirect("lawgov:consultation_detail", pk=consultation.pk)
    records = station_consultations(request.user, station)  # as its export (exports.consultation_rows)
    return render(
        request,
        "lawgov/station_consultations.html",
        {"station": station, "form": form, "page": paginate(request, records)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def consultation_detail(request, pk):
    consultation = get_object_or_404(selectors.visible_consultations(request.user), pk=pk)
    if consultation.resident_id != request.user.pk:
        log_access(actor=request.user, instance=consultation)  # a resident's legal question: 查看
    return render(request, "lawgov/station_consultation.html", {"c": consultation})
