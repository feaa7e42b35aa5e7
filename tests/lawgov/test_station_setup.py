"""Setting up a legal service station through its pages: the station (one per community), its workers
(accounts holding the legal worker's role in the community; removed), its recurring sessions (a series with
capacity, from the station page) and its legal education events (a gathering of its own kind, listed on the
station page, with attendance). Street officials and community secretaries do it for their subtree; another
street's official gets 404 (owner, member, outsider)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.gatherings.models import Gathering
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.models_stations import LegalSession, LegalStation, LegalWorker
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(MOMENT, tick=False)


@pytest.fixture
def station(pinned, cast, tree):
    return stations.create_station(actor=cast.secretary, area=tree.community_a, name="桥楼社区法律服务站")


def test_street_official_sets_up_a_station_once_per_community(pinned, cast, tree, client):
    client.force_login(cast.street_a)
    assert "设立法律服务站" in client.get(reverse("lawgov:station_list")).text
    form = client.get(reverse("lawgov:station_create"))
    assert "桥楼社区" in form.text and "育才社区" not in form.text
    answer = client.post(
        reverse("lawgov:station_create"),
        {
            "area": tree.community_a.pk,
            "name": "桥楼社区法律服务站",
            "place": "社区服务中心二楼",
            "opening_hours": "周一至周五 9:00—17:00",
            "phone": "0835-2222222",
        },
    )
    station = LegalStation.objects.get(area=tree.community_a)
    assert answer.status_code == 302 and answer.url == reverse("lawgov:station_detail", args=[station.pk])
    # the community has its station now: it is offered no more, and a second one is refused at the field
    again = client.post(reverse("lawgov:station_create"), {"area": tree.community_a.pk, "name": "第二个"})
    assert again.status_code == 200 and "is-invalid" in again.text
    assert LegalStation.objects.count() == 1
    # another street's community is not offered and refused
    outside = client.post(reverse("lawgov:station_create"), {"area": tree.community_b.pk, "name": "育才站"})
    assert outside.status_code == 200 and not LegalStation.objects.filter(area=tree.community_b).exists()


def test_secretary_edits_the_station_hours_and_address(station, cast, client):
    client.force_login(cast.secretary)
    url = reverse("lawgov:station_edit", args=[station.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "  ", "place": "x"})
    assert refused.status_code == 200 and "is-invalid" in refused.text
    answer = client.post(
        url, {"name": "桥楼站", "place": "新址一楼", "opening_hours": "周二、周四 14:00—17:00", "phone": ""}
    )
    assert answer.status_code == 302
    station.refresh_from_db()
    assert (station.name, station.place, station.opening_hours) == (
        "桥楼站",
        "新址一楼",
        "周二、周四 14:00—17:00",
    )
    page = client.get(reverse("lawgov:station_detail", args=[station.pk]))
    assert "新址一楼" in page.text and "编辑服务站" in page.text


def test_workers_are_legal_workers_of_the_community_and_are_removed(station, cast, tree, client):
    lawyer = make_user("lawyer_a", Role.LEGAL_WORKER, tree.community_a, full_name="王律师")
    other = make_user("lawyer_b", Role.LEGAL_WORKER, tree.community_b)
    client.force_login(cast.secretary)
    url = reverse("lawgov:station_workers", args=[station.pk])
    page = client.get(url)
    assert "lawyer_a" in page.text or "王律师" in page.text
    assert "lawyer_b" not in page.text
    # another community's legal worker is not a choice
    refused = client.post(url, {"user": other.pk, "role": "lawyer"})
    assert refused.status_code == 200 and not station.workers.exists()
    # a resident's account does not hold the role
    refused = client.post(url, {"user": cast.resident.pk, "role": "lawyer"})
    assert refused.status_code == 200 and not station.workers.exists()
    assert (
        client.post(url, {"user": lawyer.pk, "role": "lawyer", "organization": "蜀天律师事务所"}).status_code
        == 302
    )
    assert client.post(url, {"name": "李顾问", "role": "adviser"}).status_code == 302
    worker = station.workers.get(user=lawyer)
    assert worker.name == "王律师"
    # the same account twice is refused at the field
    twice = client.post(url, {"user": lawyer.pk, "role": "adviser"})
    assert twice.status_code == 200 and "已是本站的法律工作者" in twice.text
    answer = client.post(reverse("lawgov:worker_remove", args=[worker.pk]), follow=True)
    assert "已移除：王律师（律师）" in answer.text
    worker.refresh_from_db()
    assert not worker.active
    detail = client.get(reverse("lawgov:station_detail", args=[station.pk]))
    assert "李顾问" in detail.text and "王律师" not in detail.text


def test_session_series_from_the_station_page_with_capacity(station, cast, client):
    client.force_login(cast.secretary)
    url = reverse("lawgov:session_create", args=[station.pk])
    data = {
        "provider": "petitions",
        "title": "信访局接访",
        "capacity": 5,
        "start_time": "09:30",
        "duration_minutes": 120,
        "frequency": "monthly_weekday",
        "interval": 1,
        "week_of_month": "",
        "weekday": 1,
        "starts_on": "2027-02-01",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "请选择每月第几个星期几。" in refused.text
    assert not LegalSession.objects.exists()
    answer = client.post(url, {**data, "week_of_month": 1})
    assert answer.status_code == 302
    session = LegalSession.objects.get()
    days = list(session.series.occurrences.order_by("starts_at").values_list("occurrence_on", flat=True))
    assert [d.isoformat() for d in days] == ["2027-02-02", "2027-03-02"]
    assert session.series.capacity == 5 and session.series.kind == "legal_session"
    page = client.get(reverse("lawgov:station_detail", args=[station.pk]))
    assert "每月第一个星期二 09:30" in page.text
    assert reverse("gatherings:series_detail", args=[session.series_id]) in page.text


def test_legal_education_event_from_the_station_page_listed_with_attendance(station, cast, client):
    client.force_login(cast.secretary)
    url = reverse("lawgov:education_create", args=[station.pk])
    refused = client.post(
        url, {"title": "民法典进社区", "starts_at": "2027-02-10T10:00", "ends_at": "2027-02-10T09:00"}
    )
    assert refused.status_code == 200 and not Gathering.objects.filter(kind="legal_education").exists()
    answer = client.post(
        url,
        {
            "title": "民法典进社区",
            "starts_at": "2027-02-10T09:00",
            "ends_at": "2027-02-10T11:00",
            "capacity": 40,
        },
    )
    event = Gathering.objects.get(kind="legal_education")
    assert answer.status_code == 302 and answer.url == reverse("gatherings:detail", args=[event.pk])
    assert event.area == station.area and event.signup_open and event.capacity == 40
    assert event.kind_label == "法治宣传教育"
    # the organizer keeps its attendance on the gathering's sheet
    assert client.get(reverse("gatherings:attendance", args=[event.pk])).status_code == 200
    # the resident of the community sees it on the station page and signs up
    client.force_login(cast.resident)
    page = client.get(reverse("lawgov:station_detail", args=[station.pk]))
    assert "民法典进社区" in page.text and "已报名 0 人" in page.text
    assert "编辑服务站" not in page.text


@pytest.mark.parametrize(
    "route",
    ["station_edit", "station_workers", "session_create", "education_create"],
)
def test_owner_member_outsider(station, cast, tree, client, route):
    """The owner (the community's secretary) and the street above set it up; a resident of the community
    (a member: sees the station) and another street's official (an outsider) get 404."""
    url = reverse(f"lawgov:{route}", args=[station.pk])
    for user in (cast.secretary, cast.street_a):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (cast.resident, cast.street_b, make_user("lawyer_b", Role.LEGAL_WORKER, tree.community_b)):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "x", "title": "x"}).status_code == 404
    station.refresh_from_db()
    assert station.name == "桥楼社区法律服务站" and not LegalWorker.objects.exists()


def test_a_worker_of_another_street_cannot_be_removed_from_outside(station, cast, client):
    worker = stations.add_worker(actor=cast.secretary, station=station, name="王律师", role="lawyer")
    client.force_login(cast.street_b)
    assert client.post(reverse("lawgov:worker_remove", args=[worker.pk])).status_code == 404
    client.force_login(cast.resident)
    assert client.post(reverse("lawgov:worker_remove", args=[worker.pk])).status_code == 404
    worker.refresh_from_db()
    assert worker.active
    client.force_login(cast.street_b)
    assert client.get(reverse("lawgov:station_create")).status_code == 200
    client.force_login(cast.resident)
    assert client.get(reverse("lawgov:station_create")).status_code == 403
