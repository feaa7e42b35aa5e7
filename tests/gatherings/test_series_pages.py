"""The pages of a recurring gathering, built once for every part: the series with its occurrences, changing
the series (the occurrences still to come, not one changed on its own), changing one occurrence on its own
page, cancelling the series from a day. The owner (the organizer's community), a member (a resident who
signs up: 404, as the API) and an outsider (another street) on each page. The clock is pinned."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.gatherings import services
from grassroots.gatherings.models import Status

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def series(time_machine, cast, tree, settings):
    time_machine.move_to(MOMENT, tick=False)
    settings.GATHERINGS_SERIES_HORIZON_DAYS = 30
    return services.create_series(
        actor=cast.street_a,
        area=tree.community_a,
        kind="legal_session",
        title="法律咨询日",
        frequency="weekly",
        weekday=1,
        starts_on=date(2027, 1, 1),
        start_time=time(9, 30),
        duration_minutes=120,
        capacity=5,
        signup_open=True,
        place="法律服务站",
    )


def test_series_page_lists_its_occurrences(series, cast, client, django_assert_max_num_queries):
    client.force_login(cast.worker)
    url = reverse("gatherings:series_detail", args=[series.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert "每周星期二 09:30" in page.text
    for day in ("2027-02-02", "2027-02-09", "2027-02-16", "2027-02-23"):
        assert day in page.text
    assert "编辑整个系列" in page.text and "自某日起取消" in page.text
    first = series.occurrences.order_by("starts_at").first()
    detail = client.get(reverse("gatherings:detail", args=[first.pk]))
    assert "仅编辑本场" in detail.text and url in detail.text


def test_edit_the_series_against_one_occurrence(series, cast, client):
    client.force_login(cast.worker)
    first, second, *_ = series.occurrences.order_by("starts_at")
    # one occurrence changed on its own page
    answer = client.post(
        reverse("gatherings:edit", args=[first.pk]),
        {
            "kind": "legal_session",
            "title": "法律咨询日（春节调整）",
            "area": first.area_id,
            "starts_at": "2027-02-03T09:30",
            "ends_at": "2027-02-03T11:30",
            "place": "法律服务站",
            "visibility": "public",
            "capacity": 5,
            "signup_open": "on",
        },
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.series_edited
    # the series changed: the occurrences still to come that were not changed on their own follow
    url = reverse("gatherings:series_edit", args=[series.pk])
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"title": "", "start_time": "10:00", "duration_minutes": 90, "visibility": "public"}
    )
    assert refused.status_code == 200 and "is-invalid" in refused.text
    answer = client.post(
        url,
        {
            "title": "法律咨询日",
            "place": "社区服务中心",
            "visibility": "public",
            "capacity": 8,
            "signup_open": "on",
            "start_time": "10:00",
            "duration_minutes": 90,
        },
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "法律咨询日（春节调整）" and first.place == "法律服务站"
    assert second.place == "社区服务中心" and second.capacity == 8
    assert second.starts_at.astimezone(BEIJING).time() == time(10, 0)


def test_capacity_below_sign_ups_refused_at_the_field(series, cast, client):
    second = series.occurrences.order_by("starts_at")[1]
    services.sign_up(user=cast.resident, gathering=second)
    from tests.factories import make_user

    services.sign_up(
        user=make_user("r2", "resident", cast.resident.home_area, home_area=cast.resident.home_area),
        gathering=second,
    )
    client.force_login(cast.worker)
    answer = client.post(
        reverse("gatherings:series_edit", args=[series.pk]),
        {
            "title": "法律咨询日",
            "visibility": "public",
            "capacity": 1,
            "start_time": "09:30",
            "duration_minutes": 120,
        },
    )
    assert answer.status_code == 200 and "已有 2 人报名" in answer.text
    series.refresh_from_db()
    assert series.capacity == 5


def test_cancel_the_series_from_a_day(series, cast, client):
    client.force_login(cast.worker)
    url = reverse("gatherings:series_cancel", args=[series.pk])
    refused = client.post(url, {"from_day": "2027-01-01"})
    assert refused.status_code == 200 and "取消日期不能早于今天。" in refused.text
    answer = client.post(url, {"from_day": "2027-02-10", "reason": "场地维修"}, follow=True)
    assert "取消了 2 场" in answer.text and "场地维修" in answer.text
    statuses = dict(series.occurrences.values_list("occurrence_on", "status"))
    assert statuses[date(2027, 2, 9)] == Status.PLANNED
    assert statuses[date(2027, 2, 16)] == statuses[date(2027, 2, 23)] == Status.CANCELLED


def test_owner_member_outsider(series, cast, client):
    pages = [
        reverse("gatherings:series_detail", args=[series.pk]),
        reverse("gatherings:series_edit", args=[series.pk]),
        reverse("gatherings:series_cancel", args=[series.pk]),
    ]
    client.force_login(cast.street_a)
    assert all(client.get(url).status_code == 200 for url in pages)
    for outsider in (cast.resident, cast.street_b):
        client.force_login(outsider)
        for url in pages:
            assert client.get(url).status_code == 404
        assert client.post(pages[2], {"from_day": "2027-02-10"}).status_code == 404
    # an auditor of the city sees the series but does not change it
    client.force_login(cast.auditor)
    assert client.get(pages[0]).status_code == 200
    assert client.get(pages[1]).status_code == 403
    assert client.post(pages[2], {"from_day": "2027-02-10"}).status_code == 403
    series.refresh_from_db()
    assert series.cancelled_from is None
