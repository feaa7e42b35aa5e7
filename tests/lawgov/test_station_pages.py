"""The legal service stations' pages: the station with its workers, hours and calendar; a resident books a
place and cancels (full: a clear Chinese message); consultations recorded by a legal worker, a referral to
mediation filing a case on the dispute platform; another community's legal worker gets 404; query pins."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.models_disputes import Dispute
from grassroots.lawgov.models_stations import Consultation
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def station(time_machine, cast, tree):
    time_machine.move_to(MOMENT, tick=False)
    station = stations.create_station(
        actor=cast.worker,
        area=tree.community_a,
        name="桥楼社区法律服务站",
        place="社区服务中心二楼",
        opening_hours="周一至周五 9:00—17:00",
    )
    stations.add_worker(actor=cast.worker, station=station, name="王律师", role="lawyer")
    return station


def _session(cast, station, capacity=1):
    return stations.schedule_session(
        actor=cast.worker,
        station=station,
        provider="hrss",
        title="人社局劳动保障咨询",
        start_time=time(9, 30),
        duration_minutes=120,
        capacity=capacity,
        frequency="monthly_weekday",
        weekday=1,
        week_of_month=1,
        starts_on=date(2027, 1, 1),
        until=date(2027, 12, 31),
    )


@pytest.fixture
def legal_worker(tree):
    return make_user("legal_a", Role.LEGAL_WORKER, tree.community_a)


def test_resident_sees_the_station_books_and_cancels_and_full_is_refused(station, cast, tree, client):
    first = _session(cast, station).series.occurrences.order_by("starts_at").first()
    client.force_login(cast.resident)
    listing = client.get(reverse("lawgov:station_list"))
    assert listing.status_code == 302 and listing.url == reverse("lawgov:station_detail", args=[station.pk])
    page = client.get(listing.url)
    assert (
        "王律师" in page.text and "周一至周五 9:00—17:00" in page.text and "人社局劳动保障咨询" in page.text
    )
    assert "已预约 0/1" in page.text
    answer = client.post(reverse("lawgov:occurrence_book", args=[first.pk]), follow=True)
    assert "已预约：" in answer.text and "取消预约" in answer.text
    assert first.participants.filter(user=cast.resident, signed_up_at__isnull=False).exists()

    neighbour = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    client.force_login(neighbour)
    page = client.get(reverse("lawgov:station_detail", args=[station.pk]))
    assert "已约满" in page.text
    refused = client.post(reverse("lawgov:occurrence_book", args=[first.pk]), follow=True)
    assert "名额已满（共 1 人），无法报名。" in refused.text
    assert not first.participants.filter(user=neighbour).exists()

    client.force_login(cast.resident)
    client.post(reverse("lawgov:occurrence_cancel", args=[first.pk]))
    assert not first.participants.filter(user=cast.resident, signed_up_at__isnull=False).exists()


def test_another_community_cannot_reach_the_station_its_sessions_or_consultations(
    station, cast, tree, client, legal_worker
):
    first = _session(cast, station).series.occurrences.order_by("starts_at").first()
    consultation = stations.record_consultation(
        actor=legal_worker, station=station, topic="labour", question="拖欠工资"
    )
    outsider = make_user("legal_b", Role.LEGAL_WORKER, tree.community_b)
    stranger = make_user("resident_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    for user in (outsider, stranger):
        client.force_login(user)
        assert client.get(reverse("lawgov:station_detail", args=[station.pk])).status_code == 404
        assert client.get(reverse("lawgov:station_consultations", args=[station.pk])).status_code == 404
        assert client.get(reverse("lawgov:consultation_detail", args=[consultation.pk])).status_code == 404
        assert client.post(reverse("lawgov:occurrence_book", args=[first.pk])).status_code == 404
        assert not first.participants.exists()
    client.force_login(cast.resident)  # a resident of the community reads the station, not its consultations
    assert client.get(reverse("lawgov:station_consultations", args=[station.pk])).status_code == 404
    assert client.get(reverse("lawgov:consultation_detail", args=[consultation.pk])).status_code == 404


def test_legal_worker_records_a_consultation_and_refers_it_to_mediation(station, cast, client, legal_worker):
    client.force_login(legal_worker)
    url = reverse("lawgov:station_consultations", args=[station.pk])
    refused = client.post(url, {"topic": "land", "question": "征地补偿", "referral": "other_body"})
    assert "请填写转交的单位。" in refused.text and not Consultation.objects.exists()
    answer = client.post(
        url,
        {
            "topic": "property",
            "question": "物业多收停车费",
            "answer": "建议先协商",
            "referral": "mediation",
            "respondent": "某物业公司",
        },
    )
    consultation = Consultation.objects.get()
    assert answer.url == reverse("lawgov:consultation_detail", args=[consultation.pk])
    dispute = Dispute.objects.get()
    assert consultation.dispute == dispute
    assert (dispute.channel, dispute.category, dispute.community_id) == (
        "station",
        "property_management",
        station.area_id,
    )
    assert sorted(dispute.parties.values_list("name", flat=True)) == ["咨询人", "某物业公司"]
    page = client.get(answer.url)
    assert dispute.number in page.text and "转人民调解" in page.text


def test_list_pages_query_counts_do_not_grow(
    station, cast, client, legal_worker, django_assert_max_num_queries
):
    _session(cast, station, capacity=5)
    for i in range(6):
        stations.record_consultation(actor=legal_worker, station=station, topic="other", question=f"问题{i}")
    client.force_login(legal_worker)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("lawgov:station_consultations", args=[station.pk])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("lawgov:station_detail", args=[station.pk])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("lawgov:station_list")).status_code == 200


def test_a_residents_consultations_are_their_data_and_a_deletion_blanks_them(station, cast, client):
    from grassroots.privacy.registry import entries

    consultation = stations.record_consultation(
        actor=cast.worker,
        station=station,
        resident=cast.resident,
        topic="family",
        question="离婚财产如何分割",
    )
    client.force_login(cast.resident)
    assert "离婚财产如何分割" in client.get("/privacy/mine/").text
    entry = next(e for e in entries() if e.key == "lawgov.consultation")
    entry.erase(cast.resident, placeholder="（已删除）")
    consultation.refresh_from_db()
    assert (consultation.resident, consultation.question, consultation.topic) == (
        None,
        "（已删除）",
        "family",
    )


def test_the_export_holds_the_lists_stations_and_none_of_another_street(station, cast, tree, client):
    from tests.imports.helpers import read_xlsx

    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    stations.create_station(actor=worker_b, area=tree.community_b, name="育才社区法律服务站")
    client.force_login(cast.street_a)
    assert 'data-export="lawgov-stations"' in client.get(reverse("lawgov:station_list")).content.decode()
    response = client.post(reverse("imports:list_export", args=["lawgov-stations"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["法律服务站"]
    assert rows == [
        ["名称", "所在社区", "地址", "开放时间"],
        ["桥楼社区法律服务站", "桥楼社区", "社区服务中心二楼", "周一至周五 9:00—17:00"],
    ]  # not 育才's
    client.force_login(cast.resident)
    assert client.post(reverse("imports:list_export", args=["lawgov-stations"])).status_code == 403


def test_a_stations_consultations_export_from_its_page_and_not_for_another_street(
    station, cast, tree, legal_worker, client
):
    from tests.imports.helpers import read_xlsx

    stations.record_consultation(
        actor=legal_worker, station=station, topic="labour", question="拖欠工资" * 20
    )
    theirs = stations.create_station(actor=cast.street_b, area=tree.community_b, name="育才社区法律服务站")
    stations.record_consultation(actor=cast.street_b, station=theirs, topic="labour", question="东城咨询")
    client.force_login(legal_worker)
    for page in ("lawgov:station_detail", "lawgov:station_consultations"):
        html = client.get(reverse(page, args=[station.pk])).content.decode()
        assert 'data-export="lawgov-consultations"' in html and f"?station={station.pk}" in html
    export = reverse("imports:list_export", args=["lawgov-consultations"])
    response = client.post(f"{export}?station={station.pk}")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["法律咨询登记"]
    assert rows[0][:4] == ["登记时间", "法律服务站", "咨询类别", "咨询问题"]
    assert [(r[1], len(r[3])) for r in rows[1:]] == [("桥楼社区法律服务站", 40)]  # cut as on the page
    # another street's station is not theirs, nor theirs ours
    assert client.post(f"{export}?station={theirs.pk}").status_code == 404
    client.force_login(cast.street_b)
    assert client.post(f"{export}?station={station.pk}").status_code == 404
