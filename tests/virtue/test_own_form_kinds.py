"""Gathering kinds with a form of their own (gatherings/kinds.py `OwnForm`; docs/decisions.md):
警示教育, 品牌活动 and the environmental actions (绿美雅安) are made only by their own pages and
endpoints, with the record their part keeps beside the gathering (the team, the brand, the check-in
code). The general 会议活动 form does not offer them; the general create — page,
`POST /api/gatherings/`, a series — refuses them at `kind` naming the right page and endpoint, and
nothing is written; a kind is not changed into or out of them. The figures
`virtue.education_events` and `virtue.warning_teams` count the same warning education (hand
counts)."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone

from grassroots.figures import compute, registry
from grassroots.gatherings.models import Gathering
from grassroots.gatherings.services import authorized
from grassroots.virtue import services
from grassroots.virtue.brands_setup import BRAND_ACTIVITY, ENV_CLEANUP
from grassroots.virtue.kinds import INTEGRITY_LECTURE, WARNING
from tests.gatherings.test_views import form_data

TZ = ZoneInfo("Asia/Shanghai")


def when(**delta):
    return (timezone.now() + timedelta(**delta)).isoformat()


def test_the_general_form_does_not_offer_them_and_refuses_them_naming_the_page(cast, tree, client_for):
    client = client_for(cast.worker)
    page = client.get("/gatherings/new/").content.decode()
    assert f'value="{INTEGRITY_LECTURE}"' in page  # an education event without a record of its own
    for code in (WARNING, BRAND_ACTIVITY, ENV_CLEANUP):
        assert f'value="{code}"' not in page
    before = Gathering.objects.count()
    for code, where in ((WARNING, "/virtue/warning/"), (ENV_CLEANUP, "/virtue/actions/")):
        response = client.post("/gatherings/new/", form_data(tree, kind=code))
        assert response.status_code == 200
        errors = response.context["form"].errors["kind"]
        assert where in errors[0] and "不能创建该类型" in errors[0]
    assert Gathering.objects.count() == before


def test_the_general_api_refuses_them_at_kind_naming_the_endpoint(cast, tree, api_for):
    api = api_for(cast.worker)
    body = {
        "title": "警示教育",
        "area": tree.community_a.pk,
        "starts_at": when(days=3),
        "ends_at": when(days=3, hours=2),
    }
    expected = {
        WARNING: "/api/warning-educations/",
        BRAND_ACTIVITY: "/api/brands/{id}/activities/",
        ENV_CLEANUP: "/api/environmental-actions/",
    }
    for code, endpoint in expected.items():
        response = api.post("/api/gatherings/", {**body, "kind": code}, format="json")
        assert response.status_code == 400, response.content
        (message,) = response.json()["errors"]["kind"]
        assert endpoint in message and "须在" in message
    series = {
        "kind": WARNING,
        "title": "每月警示教育",
        "area": tree.community_a.pk,
        "frequency": "monthly_day",
        "day_of_month": 15,
        "starts_on": timezone.localdate().isoformat(),
        "count": 3,
        "start_time": "09:00",
        "duration_minutes": 120,
    }
    response = api.post("/api/gathering-series/", series, format="json")
    assert response.status_code == 400 and "/api/warning-educations/" in response.json()["errors"]["kind"][0]
    assert not Gathering.objects.exists()
    # the ordinary kind is still created there
    assert api.post("/api/gatherings/", {**body, "kind": INTEGRITY_LECTURE}, format="json").status_code == 201


def test_a_kind_is_not_changed_into_or_out_of_them(cast, tree, api_for, client_for):
    api = api_for(cast.worker)
    lecture = api.post(
        "/api/gatherings/",
        {
            "kind": "lecture",
            "title": "讲座",
            "area": tree.community_a.pk,
            "starts_at": when(days=3),
            "ends_at": when(days=3, hours=2),
        },
        format="json",
    ).json()
    response = api.patch(f"/api/gatherings/{lecture['id']}/", {"kind": WARNING}, format="json")
    assert response.status_code == 400 and "/virtue/warning/" in response.json()["errors"]["kind"][0]
    starts = timezone.now() + timedelta(days=3)
    education = services.record_warning_education(
        actor=cast.worker,
        team=tree.community_a,
        mode="case",
        title="以案说纪",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    url = f"/api/gatherings/{education.gathering_id}/"
    response = api.patch(url, {"kind": "lecture"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert api.patch(url, {"kind": WARNING, "title": "以案说纪（改期）"}, format="json").status_code == 200
    # its edit page keeps the kind (not a choice) and saves the rest
    client = client_for(cast.worker)
    edit = client.get(f"/gatherings/{education.gathering_id}/edit/")
    assert edit.context["form"].fields["kind"].disabled
    data = form_data(tree, kind="lecture", title="以案说纪（再改）", visibility="invited")
    assert client.post(f"/gatherings/{education.gathering_id}/edit/", data).status_code == 302
    gathering = Gathering.objects.get(pk=education.gathering_id)
    assert (gathering.kind, gathering.title) == (WARNING, "以案说纪（再改）")
    # and the street official of another street still cannot reach it
    assert api_for(cast.street_b).patch(url, {"title": "改"}, format="json").status_code == 404


T0 = datetime(2027, 6, 10, 9, 0, tzinfo=TZ)


def test_education_events_and_warning_teams_count_the_same_warning_education(time_machine, cast, tree):
    """Hand counts: 桥楼's team twice and 青江街道's team once (street A), 育才's team once
    (street B), all held; a gathering of the kind without a team's record (made on the general
    form before it had its own) held in 育才 with one present, given its team by migration 0012 — in both
    figures, for 育才's team (already covered: the teams stay 3), and its sheet in the attendance."""
    time_machine.move_to(T0, tick=False)
    starts = T0 + timedelta(days=1)
    hours = {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}
    held = []
    for actor, team, title in (
        (cast.worker, tree.community_a, "以案说纪一"),
        (cast.worker, tree.community_a, "以案说纪二"),
        (cast.street_a, tree.street_a, "街道班子警示教育"),
        (cast.street_b, tree.community_b, "育才班子警示教育"),
    ):
        education = services.record_warning_education(
            actor=actor, team=team, mode="case", title=title, **hours
        )
        held.append((actor, education.gathering))
    legacy = authorized.create_gathering(
        actor=cast.street_b, kind=WARNING, title="旧的警示教育", area=tree.community_b, **hours
    )
    time_machine.move_to(starts + timedelta(minutes=30), tick=False)
    for actor, gathering in [*held, (cast.street_b, legacy)]:
        authorized.mark_held(actor=actor, gathering=gathering)
    authorized.record_attendance_sheet(
        actor=cast.street_b, gathering=legacy, marks=[(cast.resident, True, "")], invite_missing=True
    )
    importlib.import_module("grassroots.virtue.migrations.0012_warning_team_stored").fill_teams(apps, None)

    def figure(name):
        return compute.breakdown(registry.get(name), tree.county, 2027, T0.date())

    def line(result, area):
        return next(row for row in result.children if row.area == area)

    teams, events = figure("virtue.warning_teams"), figure("virtue.education_events")
    assert (teams.total.counts["covered"], events.total.counts[WARNING]) == (3, 5)
    assert (line(teams, tree.street_a).counts["covered"], line(events, tree.street_a).counts[WARNING]) == (
        2,
        3,
    )
    assert (line(teams, tree.street_b).counts["covered"], line(events, tree.street_b).counts[WARNING]) == (
        1,
        2,
    )
    assert figure("virtue.warning_attendance").total.counts["present"] == 1  # the legacy one's sheet
