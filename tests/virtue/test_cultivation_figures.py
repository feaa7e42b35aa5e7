"""Cultivation's registry figures against a hand-counted fixture (per street and for the county): venue
coverage (communities with and without each kind), warning education (teams covered this year, attendance),
education events and those present (legal education among them), culture brand activities, environmental
actions with sign-ups and check-ins; on /api/figures/ and the dashboard for an official, not a resident.

The fixture (2027, the clock pinned):
- communities 桥楼 (street A: all three venue kinds, its reading room in a courtyard below), 新村 (street A:
  none), 育才 (street B: a reading room); street A's own culture wall covers no community;
- warning education held for 桥楼's team (two on the sheet, one present) and street B's team (nobody on the
  sheet); one for 育才's team still planned;
- a moral lecture held in 育才, a legal education event held in 桥楼 (one present), an integrity lecture
  planned;
- 桥楼's red-culture brand with two activities held and one planned, 育才's moral-culture brand with one
  held;
- a clean-up in 桥楼 (two sign-ups, one check-in), publicity in 育才 (none), waste sorting in 育才
  cancelled."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.figures import compute, registry
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.services import authorized
from grassroots.lawgov import services_stations as stations
from grassroots.virtue import services, services_brands
from grassroots.virtue.brands_setup import ENV_CLEANUP, ENV_PUBLICITY, ENV_SORTING
from grassroots.virtue.kinds import INTEGRITY_LECTURE, LEGAL_EDUCATION, MORAL_HALL, WARNING
from tests.factories import make_area, make_user

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2027, 6, 10, 9, 0, tzinfo=TZ)
START = T0 + timedelta(days=1)
YEAR = 2027


def _line(result, area):
    return next(line for line in result.children if line.area == area)


def figure(name, tree):
    return compute.breakdown(registry.get(name), tree.county, YEAR, T0.date())


@pytest.fixture
def fixture(time_machine, cast, tree):
    time_machine.move_to(T0, tick=False)
    xincun = make_area("新村社区", Level.COMMUNITY, tree.street_a, code="511802001002")
    ya, yb = make_user("ya", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a), cast.resident
    official_b = cast.street_b

    def venue(actor, area, kind, name):
        services.create_venue(actor=actor, area=area, kind=kind, name=name, address="社区服务中心")

    venue(cast.worker, tree.courtyard_a, "reading_room", "一号院落廉政书屋")
    venue(cast.worker, tree.community_a, "warning_board", "桥楼警示教育栏")
    venue(cast.worker, tree.community_a, "culture_wall", "桥楼廉洁文化墙")
    venue(cast.street_a, tree.street_a, "culture_wall", "青江街道廉洁文化墙")
    venue(official_b, tree.community_b, "reading_room", "育才廉政书屋")

    hours = {"starts_at": START, "ends_at": START + timedelta(hours=2)}
    warning_a = services.record_warning_education(
        actor=cast.worker, team=tree.community_a, mode="case", title="以案说纪", attendees=[ya, yb], **hours
    ).gathering
    warning_b = services.record_warning_education(
        actor=official_b, team=tree.street_b, mode="testimony", title="现身说法", **hours
    ).gathering
    services.record_warning_education(
        actor=official_b, team=tree.community_b, mode="on_site", title="现场教学", **hours
    )

    def event(actor, area, kind, title):
        return authorized.create_gathering(actor=actor, kind=kind, title=title, area=area, **hours)

    moral = event(official_b, tree.community_b, MORAL_HALL, "道德讲堂")
    event(cast.worker, tree.community_a, INTEGRITY_LECTURE, "廉洁文化大讲堂")
    station = stations.create_station(actor=cast.worker, area=tree.community_a, name="桥楼社区法律服务站")
    legal = stations.schedule_education(actor=cast.worker, station=station, title="民法典进社区", **hours)
    gatherings.sign_up(user=ya, gathering=legal)

    red = services_brands.create_brand(actor=cast.worker, area=tree.community_a, kind="red", name="红色桥楼")
    moral_brand = services_brands.create_brand(
        actor=official_b, area=tree.community_b, kind="moral", name="育才善德"
    )
    activities = [
        services_brands.add_brand_activity(actor=cast.worker, brand=red, title=f"红色故事会{i}", **hours)
        for i in range(3)
    ]
    activities.append(
        services_brands.add_brand_activity(actor=official_b, brand=moral_brand, title="好人评议", **hours)
    )

    def action(actor, area, kind, title):
        return services_brands.create_environmental_action(
            actor=actor, area=area, kind=kind, title=title, **hours
        )

    cleanup = action(cast.worker, tree.community_a, ENV_CLEANUP, "青衣江畔清洁")
    action(official_b, tree.community_b, ENV_PUBLICITY, "垃圾分类宣传")
    sorting = action(official_b, tree.community_b, ENV_SORTING, "垃圾分类督导")
    gatherings.cancel_gathering(actor=official_b, gathering=sorting.gathering, reason="下雨")
    for person in (ya, yb):
        gatherings.sign_up(user=person, gathering=cleanup.gathering)

    time_machine.move_to(START + timedelta(minutes=30), tick=False)
    services_brands.check_in_with_code(user=ya, gathering=cleanup.gathering, code=cleanup.check_in_code)
    held = [
        warning_a,
        warning_b,
        moral,
        legal,
        *(a.gathering for a in activities[:2]),
        activities[3].gathering,
    ]
    for gathering in held:
        actor = official_b if gathering.area.path.startswith(tree.street_b.path) else cast.worker
        authorized.mark_held(actor=actor, gathering=gathering)
    authorized.record_attendance_sheet(
        actor=cast.worker, gathering=warning_a, marks=[(ya, True, ""), (yb, False, "出差")]
    )
    authorized.record_attendance_sheet(actor=cast.worker, gathering=legal, marks=[(ya, True, "")])
    return xincun


def test_venue_coverage(fixture, tree):
    result = figure("virtue.venue_coverage", tree)
    counts = result.total.counts
    assert (counts["communities"], counts["complete"]) == (3, 1)
    assert (counts["with_reading_room"], counts["without_reading_room"]) == (2, 1)
    assert (counts["with_warning_board"], counts["without_warning_board"]) == (1, 2)
    assert (counts["with_culture_wall"], counts["without_culture_wall"]) == (1, 2)  # not the street's own
    assert result.total.value == Decimal("33.3")
    assert _line(result, tree.street_a).value == Decimal("50.0")
    assert _line(result, tree.street_b).counts["with_reading_room"] == 1
    assert _line(result, tree.street_b).value == Decimal("0.0")


def test_venue_coverage_of_a_community_right_under_the_county(fixture, tree, cast):
    """A community may sit right under a county (depth 3, no street): its venues count for it as well."""
    direct = make_area("县直社区", Level.COMMUNITY, tree.county, code="511802900")
    grid = make_area("县直一网格", Level.GRID, direct, code="511802900001")
    services.create_venue(actor=cast.city, area=grid, kind="reading_room", name="县直廉政书屋", address="x")
    counts = figure("virtue.venue_coverage", tree).total.counts
    assert (counts["communities"], counts["with_reading_room"], counts["without_reading_room"]) == (4, 3, 1)
    assert (counts["with_warning_board"], counts["complete"]) == (1, 1)


def test_warning_education(fixture, tree):
    teams = figure("virtue.warning_teams", tree)
    assert (teams.total.counts["teams"], teams.total.counts["covered"]) == (5, 2)  # 2 streets, 3 communities
    assert teams.total.value == Decimal("40.0")
    assert (_line(teams, tree.street_a).counts["covered"], _line(teams, tree.street_a).counts["teams"]) == (
        1,
        3,
    )
    assert _line(teams, tree.street_b).value == Decimal("50.0")  # the street's team, not 育才's (planned)
    attendance = figure("virtue.warning_attendance", tree)
    assert (attendance.total.value, attendance.total.counts["recorded"]) == (1, 2)
    assert _line(attendance, tree.street_b).value == 0


def test_education_events(fixture, tree):
    events = figure("virtue.education_events", tree)
    counts = events.total.counts
    assert (events.total.value, counts["attended"]) == (4, 2)  # two warnings, the moral hall, legal education
    assert (counts[WARNING], counts[MORAL_HALL], counts[LEGAL_EDUCATION], counts[INTEGRITY_LECTURE]) == (
        2,
        1,
        1,
        0,
    )
    a, b = _line(events, tree.street_a), _line(events, tree.street_b)
    assert (a.value, a.counts["attended"], b.value, b.counts["attended"]) == (2, 2, 2, 0)
    trend = compute.monthly(registry.get("virtue.education_events"), tree.county, YEAR, T0.date())
    assert [m for m in trend if m["value"]] and sum(m["value"] for m in trend) == 4


def test_brand_activities_and_environmental_actions(fixture, tree):
    brands = figure("virtue.brand_activities", tree)
    assert (brands.total.value, brands.total.counts["red"], brands.total.counts["moral"]) == (3, 2, 1)
    assert (_line(brands, tree.street_a).value, _line(brands, tree.street_b).value) == (2, 1)
    actions = figure("virtue.environmental_actions", tree)
    counts = actions.total.counts
    assert (actions.total.value, counts["signups"], counts["checkins"]) == (2, 2, 1)  # not the cancelled
    assert _line(actions, tree.street_b).counts["signups"] == 0


NAMES = {
    "virtue.venue_coverage",
    "virtue.warning_teams",
    "virtue.warning_attendance",
    "virtue.education_events",
    "virtue.brand_activities",
    "virtue.environmental_actions",
}


def test_on_the_api_and_the_dashboard_for_officials_only(fixture, tree, cast, api_for, client_for):
    api = api_for(cast.city)
    rows = api.get("/api/figures/", {"page_size": 200}).json()["results"]
    assert {row["name"] for row in rows} >= NAMES
    one = api.get("/api/figures/virtue.education_events/", {"area": tree.county.pk, "year": YEAR})
    assert one.status_code == 200 and "法治宣传教育" in one.content.decode()
    page = client_for(cast.city).get(
        "/dashboard/", {"area": tree.county.pk, "year": YEAR, "figure": "virtue.venue_coverage"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "廉洁文化阵地覆盖率" in body and "绿美雅安环保行动" in body
    assert 'data-figure="virtue.venue_coverage"' in body and "33.3" in body
    assert api_for(cast.resident).get("/api/figures/virtue.venue_coverage/").status_code == 404
