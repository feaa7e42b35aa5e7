"""The setup steps of /api/legal-stations/ (the pages' steps through the same services): create, change, a
worker added and removed, a recurring session with capacity, a legal education event; another street's
official 404, a resident of the community 403 (sees the station, may not set it up)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from grassroots.accounts.roles import Role
from grassroots.gatherings.models import Gathering
from grassroots.lawgov.models_stations import LegalSession, LegalStation
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)
BASE = "/api/legal-stations/"


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(MOMENT, tick=False)


def test_the_whole_setup_through_the_api(pinned, cast, tree, api_for):
    api = api_for(cast.secretary)
    created = api.post(BASE, {"area": tree.community_a.pk, "name": "桥楼站", "place": "二楼"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = api.post(BASE, {"area": tree.community_a.pk, "name": "第二个"}, format="json")
    assert again.status_code == 400 and "area" in again.json()["errors"]
    changed = api.patch(f"{BASE}{pk}/", {"opening_hours": "周二 9:00—12:00"}, format="json")
    assert changed.status_code == 200 and changed.json()["opening_hours"] == "周二 9:00—12:00"
    assert changed.json()["name"] == "桥楼站"

    lawyer = make_user("lawyer_a", Role.LEGAL_WORKER, tree.community_a, full_name="王律师")
    other = make_user("lawyer_b", Role.LEGAL_WORKER, tree.community_b)
    refused = api.post(f"{BASE}{pk}/workers/", {"user": other.pk, "role": "lawyer"}, format="json")
    assert refused.status_code == 400 and "user" in refused.json()["errors"]
    added = api.post(f"{BASE}{pk}/workers/", {"user": lawyer.pk, "role": "lawyer"}, format="json")
    assert added.status_code == 201 and [w["name"] for w in added.json()["workers"]] == ["王律师"]
    worker = added.json()["workers"][0]["id"]
    removed = api.post(f"{BASE}{pk}/remove-worker/", {"worker": worker}, format="json")
    assert removed.status_code == 200 and removed.json()["workers"] == []

    session = {
        "provider": "bar",
        "title": "律师协会公益咨询",
        "capacity": 4,
        "start_time": "09:30",
        "duration_minutes": 120,
        "frequency": "monthly_weekday",
        "weekday": 1,
        "week_of_month": 1,
        "starts_on": "2027-02-01",
    }
    assert api.post(f"{BASE}{pk}/sessions/", session, format="json").status_code == 201
    series = LegalSession.objects.get(station_id=pk).series
    assert series.capacity == 4 and series.rule_label == "每月第一个星期二 09:30"
    event = {
        "title": "宪法宣传日",
        "starts_at": "2027-02-10T09:00+08:00",
        "ends_at": "2027-02-10T11:00+08:00",
    }
    assert api.post(f"{BASE}{pk}/education/", event, format="json").status_code == 201
    assert Gathering.objects.get(kind="legal_education").area == tree.community_a
    listed = api.get("/api/gatherings/", {"kind": "legal_education"}).json()
    assert [g["title"] for g in listed["results"]] == ["宪法宣传日"]


def test_owner_member_outsider(pinned, cast, tree, api_for):
    station = LegalStation.objects.create(area=tree.community_a, name="桥楼站")
    url = f"{BASE}{station.pk}/"
    for user, code in ((cast.street_b, 404), (cast.resident, 403)):
        api = api_for(user)
        assert api.patch(url, {"name": "改"}, format="json").status_code == code
        assert api.post(f"{url}workers/", {"name": "甲", "role": "lawyer"}, format="json").status_code == code
        event = {"title": "x", "starts_at": "2027-02-10T09:00+08:00", "ends_at": "2027-02-10T11:00+08:00"}
        assert api.post(f"{url}education/", event, format="json").status_code == code
    outside = api_for(cast.street_b).post(BASE, {"area": tree.community_a.pk, "name": "x"}, format="json")
    assert outside.status_code == 400
    station.refresh_from_db()
    assert station.name == "桥楼站" and not station.workers.exists()
    assert not Gathering.objects.filter(kind="legal_education").exists()
