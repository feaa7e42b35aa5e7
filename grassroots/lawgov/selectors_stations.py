"""Who sees which legal service station, session and consultation. A station: those who run it
(`lawgov.stations` on its community, through the one scoping function) and the residents of its community
(their home area lies in it). Its sessions' occurrences: the same. Consultations: those who run the
station."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.access.scoping import scoped
from grassroots.areas.subtree import STEPLEN
from grassroots.gatherings.models import Gathering, Status
from grassroots.lawgov.models_stations import Consultation, LegalStation
from grassroots.lawgov.services_stations import MANAGE


def _home_community_path(user) -> str | None:
    home = getattr(user, "home_area", None)
    return home.path if home is not None else None


def visible_stations(user):
    """The stations the user runs, and the station of the community they live in."""
    mine = scoped(LegalStation.objects.all(), user, MANAGE).values("pk")
    q = Q(pk__in=mine)
    home = _home_community_path(user)
    if home:
        # the station's community is the home area or one above it (a courtyard, a grid in the community)
        ancestors = [home[:i] for i in range(STEPLEN, len(home) + 1, STEPLEN)]
        q |= Q(area__path__in=ancestors)
    return LegalStation.objects.filter(q).select_related("area")


def managed_stations(user):
    return scoped(LegalStation.objects.all(), user, MANAGE).select_related("area")


def occurrences(station_ids, *, upcoming: bool = True):
    """The occurrences (gatherings) of the stations' sessions, each with its booked seats and provider."""
    qs = Gathering.objects.filter(series__legal_session__station_id__in=station_ids).exclude(
        status=Status.CANCELLED
    )
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    return (
        qs.annotate(booked=Count("participants", filter=Q(participants__signed_up_at__isnull=False)))
        .select_related("series__legal_session")
        .order_by("starts_at", "pk")
    )


def visible_occurrence(user, pk: int):
    return occurrences(visible_stations(user).values("pk"), upcoming=False).filter(pk=pk)


def visible_consultations(user):
    return scoped(Consultation.objects.all(), user, MANAGE).select_related(
        "station", "resident", "occurrence", "dispute", "recorded_by"
    )


def sessions_of(station) -> list:
    """The station's recurring sessions (their series and rule), those not cancelled first."""
    return list(station.sessions.select_related("series").order_by("series__cancelled_from", "pk"))


def education_events(user, station, *, limit: int = 20) -> list:
    """The station's legal education events (gatherings of the kind `legal_education` in its community)
    the user sees, the latest first, each with its attendance counts."""
    from grassroots.gatherings import selectors as gathering_selectors
    from grassroots.lawgov.services_stations import EDUCATION_KIND

    events = gathering_selectors.visible_to(user).filter(kind=EDUCATION_KIND, area=station.area)
    return list(gathering_selectors.with_counts(events, user).order_by("-starts_at", "-pk")[:limit])
