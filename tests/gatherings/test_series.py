"""Recurring gatherings: the rule (read by dateutil.rrule) at month ends and on the leap day, the clock's
materialising up to the horizon (idempotent, never a day twice), a change of the series against a change of
one occurrence, cancelling the series from a day, and /api/gathering-series/. The clock is pinned in every
test."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Series, Status
from grassroots.gatherings.recurrence import occurrence_dates
from grassroots.gatherings.tasks import materialise_series
from grassroots.workflow.models import Notification

BEIJING = ZoneInfo("Asia/Shanghai")
# A Saturday morning at the end of January in a year before a leap year.
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return MOMENT


def test_first_tuesday_of_every_month():
    days = occurrence_dates(
        frequency="monthly_weekday", starts_on=date(2027, 1, 1), weekday=1, week_of_month=1, count=4
    )
    assert days == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6)]


def test_last_friday_of_the_month():
    days = occurrence_dates(
        frequency="monthly_weekday", starts_on=date(2028, 1, 1), weekday=4, week_of_month=-1, count=3
    )
    assert days == [date(2028, 1, 28), date(2028, 2, 25), date(2028, 3, 31)]


def test_a_day_the_month_lacks_falls_on_its_last_day_and_the_leap_day_is_kept():
    days = occurrence_dates(
        frequency="monthly_day", starts_on=date(2027, 12, 1), day_of_month=31, until=date(2028, 4, 30)
    )
    assert days == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]
    days = occurrence_dates(frequency="monthly_day", starts_on=date(2027, 1, 1), day_of_month=29, count=3)
    assert days == [date(2027, 1, 29), date(2027, 2, 28), date(2027, 3, 29)]
    days = occurrence_dates(frequency="monthly_day", starts_on=date(2028, 2, 1), day_of_month=29, count=2)
    assert days == [date(2028, 2, 29), date(2028, 3, 29)]


def test_every_second_week_with_an_end_date_is_inclusive():
    days = occurrence_dates(
        frequency="weekly", starts_on=date(2026, 12, 28), weekday=3, interval=2, until=date(2027, 1, 28)
    )
    assert days == [date(2026, 12, 31), date(2027, 1, 14), date(2027, 1, 28)]


def _series(cast, tree, **fields):
    values = {
        "kind": "legal_session",
        "title": "法律咨询日",
        "frequency": "weekly",
        "weekday": 1,  # Tuesday
        "starts_on": date(2027, 1, 1),
        "start_time": time(9, 30),
        "duration_minutes": 120,
        "capacity": 5,
        "signup_open": True,
        "place": "法律服务站",
    }
    values.update(fields)
    return services.create_series(actor=cast.street_a, area=tree.community_a, **values)


def test_materialised_to_the_horizon_once_whatever_the_runs(pinned, cast, tree, settings):
    settings.GATHERINGS_SERIES_HORIZON_DAYS = 30
    series = _series(cast, tree)
    starts = list(series.occurrences.order_by("starts_at").values_list("starts_at", flat=True))
    # Tuesdays from today (30 Jan) to the horizon (1 March, a Monday); none before today.
    assert [s.astimezone(BEIJING).date() for s in starts] == [
        date(2027, 2, 2),
        date(2027, 2, 9),
        date(2027, 2, 16),
        date(2027, 2, 23),
    ]
    assert starts[0].astimezone(BEIJING).time() == time(9, 30)
    first = series.occurrences.get(occurrence_on=date(2027, 2, 2))
    assert first.capacity == 5 and first.signup_open and first.kind == "legal_session"
    assert first.ends_at - first.starts_at == (first.ends_at - first.starts_at).__class__(hours=2)
    assert materialise_series.call() == {"series": 1, "created": 0}
    assert services.materialise(series) == []
    assert series.occurrences.count() == 4


def test_the_clock_moving_on_makes_the_next_days_and_not_a_cancelled_one_again(
    time_machine, pinned, cast, tree, settings
):
    settings.GATHERINGS_SERIES_HORIZON_DAYS = 10
    series = _series(cast, tree)
    assert sorted(series.occurrences.values_list("occurrence_on", flat=True)) == [
        date(2027, 2, 2),
        date(2027, 2, 9),
    ]
    services.cancel_gathering(
        actor=cast.street_a, gathering=series.occurrences.get(occurrence_on=date(2027, 2, 9))
    )
    time_machine.move_to(datetime(2027, 2, 8, 1, 20, tzinfo=BEIJING), tick=False)
    assert materialise_series.call() == {"series": 1, "created": 1}
    assert sorted(series.occurrences.values_list("occurrence_on", "status")) == [
        (date(2027, 2, 2), "planned"),
        (date(2027, 2, 9), "cancelled"),
        (date(2027, 2, 16), "planned"),
    ]


def test_the_database_refuses_a_day_twice(pinned, cast, tree):
    series = _series(cast, tree, count=5)
    occurrence = series.occurrences.get()
    with pytest.raises(IntegrityError):
        Gathering.objects.create(
            kind="legal_session",
            title="x",
            area=tree.community_a,
            organizer=cast.street_a,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            series=series,
            occurrence_on=occurrence.occurrence_on,
        )


def test_count_counts_from_the_first_day_including_days_gone(pinned, cast, tree):
    # From 1 January: 5, 12, 19, 26 January are gone; the 5th Tuesday, 2 February, is the last.
    series = _series(cast, tree, count=5)
    assert list(series.occurrences.values_list("occurrence_on", flat=True)) == [date(2027, 2, 2)]


def test_a_change_of_the_series_leaves_an_occurrence_changed_on_its_own(pinned, cast, tree, settings):
    settings.GATHERINGS_SERIES_HORIZON_DAYS = 14
    series = _series(cast, tree)
    moved = series.occurrences.get(occurrence_on=date(2027, 2, 2))
    services.update_gathering(actor=cast.street_a, gathering=moved, place="社区会议室")
    services.update_series(actor=cast.street_a, series=series, place="新法律服务站", start_time=time(14, 0))
    moved.refresh_from_db()
    other = series.occurrences.get(occurrence_on=date(2027, 2, 9))
    assert moved.place == "社区会议室" and moved.starts_at.astimezone(BEIJING).time() == time(9, 30)
    assert other.place == "新法律服务站" and other.starts_at.astimezone(BEIJING).time() == time(14, 0)
    # The moved occurrence is not made again at its original time.
    assert services.materialise(series) == []


def test_capacity_of_the_series_not_below_an_occurrences_sign_ups(pinned, cast, tree):
    series = _series(cast, tree, count=5)
    services.sign_up(user=cast.resident, gathering=series.occurrences.get())
    services.sign_up(user=cast.worker, gathering=series.occurrences.get())
    with pytest.raises(ValidationError) as refused:
        services.update_series(actor=cast.street_a, series=series, capacity=1)
    assert "2 人报名" in refused.value.message_dict["capacity"][0]
    series.refresh_from_db()
    assert series.capacity == 5


def test_cancelling_from_a_day_cancels_those_planned_and_makes_no_more(
    pinned, cast, tree, settings, django_capture_on_commit_callbacks
):
    settings.GATHERINGS_SERIES_HORIZON_DAYS = 30
    series = _series(cast, tree)
    services.sign_up(user=cast.resident, gathering=series.occurrences.get(occurrence_on=date(2027, 2, 16)))
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_series(
            actor=cast.street_a, series=series, from_day=date(2027, 2, 10), reason="站点搬迁"
        )
    assert [g.occurrence_on for g in cancelled] == [date(2027, 2, 16), date(2027, 2, 23)]
    statuses = dict(series.occurrences.values_list("occurrence_on", "status"))
    assert statuses[date(2027, 2, 2)] == statuses[date(2027, 2, 9)] == Status.PLANNED
    assert Gathering.objects.get(occurrence_on=date(2027, 2, 16)).cancel_reason == "站点搬迁"
    assert Notification.objects.filter(recipient=cast.resident, verb__contains="已取消").exists()
    assert services.materialise(series) == []
    with pytest.raises(ValidationError):
        services.cancel_series(actor=cast.street_a, series=series, from_day=date(2027, 1, 29))


def test_only_who_manages_the_area_creates_or_changes_a_series(pinned, cast, tree):
    with pytest.raises(PermissionDenied):
        services.create_series(
            actor=cast.street_b,
            area=tree.community_a,
            kind="legal_session",
            title="x",
            frequency="weekly",
            weekday=1,
            starts_on=date(2027, 2, 1),
            start_time=time(9),
            duration_minutes=60,
        )
    series = _series(cast, tree, count=2)
    with pytest.raises(PermissionDenied):
        services.update_series(actor=cast.street_b, series=series, title="改")
    with pytest.raises(PermissionDenied):
        services.cancel_series(actor=cast.street_b, series=series, from_day=date(2027, 2, 1))


def test_a_rule_missing_its_parts_is_refused_at_the_field(pinned, cast, tree):
    with pytest.raises(ValidationError) as refused:
        _series(cast, tree, frequency="monthly_weekday", week_of_month=None, until=date(2027, 6, 1), count=3)
    assert set(refused.value.message_dict) == {"week_of_month", "count"}
    with pytest.raises(ValidationError) as refused:
        _series(cast, tree, frequency="monthly_day", day_of_month=32)
    assert "1 至 31" in refused.value.message_dict["day_of_month"][0]
    assert not Series.objects.exists()


# --- API -------------------------------------------------------------------------------------------------
BODY = {
    "kind": "legal_session",
    "title": "人社局政策咨询",
    "area": None,
    "frequency": "monthly_weekday",
    "weekday": 1,
    "week_of_month": 1,
    "starts_on": "2027-01-01",
    "count": 6,
    "start_time": "09:00",
    "duration_minutes": 180,
    "capacity": 10,
    "signup_open": True,
}


def test_api_creates_lists_changes_and_cancels_a_series(pinned, cast, tree, api_for):
    api = api_for(cast.street_a)
    answer = api.post("/api/gathering-series/", {**BODY, "area": tree.community_a.pk}, format="json")
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    assert answer.json()["rule_label"] == "每月第一个星期二 09:00"
    assert [o["occurrence_on"] for o in answer.json()["occurrences"]] == ["2027-02-02", "2027-03-02"]
    occurrences = api.get(f"/api/gatherings/?series={pk}").json()["results"]
    assert len(occurrences) == 2
    assert all(o["series"] == pk for o in occurrences)
    answer = api.patch(f"/api/gathering-series/{pk}/", {"title": "人社局政策咨询日"}, format="json")
    assert answer.status_code == 200, answer.content
    assert {o["title"] for o in api.get(f"/api/gatherings/?series={pk}").json()["results"]} == {
        "人社局政策咨询日"
    }
    answer = api.post(f"/api/gathering-series/{pk}/cancel/", {"from_day": "2027-02-03", "reason": "停办"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["cancelled_from"] == "2027-02-03"
    assert [o["status"] for o in answer.json()["occurrences"]] == ["planned", "cancelled"]


def test_api_another_area_gets_404_and_bad_rules_a_field_message(pinned, cast, tree, api_for):
    series = _series(cast, tree, count=3)
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/gathering-series/{series.pk}/").status_code == 404
    assert outsider.patch(f"/api/gathering-series/{series.pk}/", {"title": "x"}).status_code == 404
    assert (
        outsider.post(f"/api/gathering-series/{series.pk}/cancel/", {"from_day": "2027-02-03"}).status_code
        == 404
    )
    assert outsider.get("/api/gathering-series/").json()["count"] == 0
    answer = outsider.post("/api/gathering-series/", {**BODY, "area": tree.community_a.pk}, format="json")
    assert answer.status_code == 400 and "area" in answer.json()["errors"]
    answer = api_for(cast.street_a).post(
        "/api/gathering-series/", {**BODY, "area": tree.community_a.pk, "week_of_month": None}, format="json"
    )
    assert answer.status_code == 400
    assert "第几个星期几" in str(answer.json()["errors"]["week_of_month"])
