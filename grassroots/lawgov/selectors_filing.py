"""What the filing pages offer, through the one scoping function: the places a dispute may be filed in (a
resident's own community; the areas of a grid worker's or a station worker's `lawgov.intake`), the stations
one files at, the residents a filer may name as applicant or a station worker as the person consulting."""

from __future__ import annotations

from django.db.models import Q

from grassroots.access.scoping import scope_q, scoped
from grassroots.accounts.models import User
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.lawgov.forms_filing import place_areas
from grassroots.lawgov.models_stations import LegalStation
from grassroots.lawgov.services_disputes import community_of

INTAKE = "lawgov.intake"
STATIONS = "lawgov.stations"


def home_places(user):
    """A resident's community and its grids and courtyards (where their dispute may have happened)."""
    community = community_of(getattr(user, "home_area", None))
    if community is None:
        return Area.objects.none()
    return place_areas(Area.objects.filter(under_q(community.path, "path")))


def intake_places(user):
    return place_areas(scoped(Area.objects.all(), user, INTAKE, path_field="path"))


def station_places(station: LegalStation):
    return place_areas(Area.objects.filter(under_q(station.area.path, "path")))


def intake_stations(user):
    """The stations a worker files disputes at: those of the communities of their `lawgov.intake`."""
    return scoped(LegalStation.objects.all(), user, INTAKE).select_related("area")


def residents_under(paths_q: Q):
    return (
        User.objects.filter(paths_q, is_active=True).select_related("home_area").order_by("full_name", "pk")
    )


def intake_residents(user):
    """The residents a grid worker (or staff) may file for: those living in their `lawgov.intake` areas."""
    return residents_under(scope_q(user, INTAKE, "home_area__path"))


def station_residents(station: LegalStation):
    """The residents of a station's community (the people who consult it)."""
    return residents_under(under_q(station.area.path, "home_area__path"))


def findable_residents(user):
    """Whom the resident search box may show a filer or a station worker: the residents of their areas."""
    return residents_under(
        scope_q(user, INTAKE, "home_area__path") | scope_q(user, STATIONS, "home_area__path")
    )
