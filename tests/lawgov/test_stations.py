"""Legal service stations: one per community, its workers, a body's recurring sessions as gatherings with a
capacity (the first Tuesday of every month), residents booking and cancelling (no overbooking, also when they
book at the same moment: PostgreSQL), consultations with their referral. Clock pinned."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.models_stations import Consultation, LegalStation
from tests.concurrency import race, server_db_only
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def station(time_machine, cast, tree):
    time_machine.move_to(MOMENT, tick=False)
    return stations.create_station(
        actor=cast.worker,
        area=tree.community_a,
        name="桥楼社区法律服务站",
        place="社区服务中心二楼",
        opening_hours="周一至周五 9:00—17:00",
    )


def _hrss(cast, station, capacity=3):
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


def test_one_station_per_community_only_in_a_community(station, cast, tree):
    with pytest.raises(ValidationError) as refused:
        stations.create_station(actor=cast.worker, area=tree.community_a, name="第二个")
    assert refused.value.message_dict["area"] == ["该社区已设有法律服务站。"]
    with pytest.raises(ValidationError) as refused:
        stations.create_station(actor=cast.street_a, area=tree.street_a, name="街道站")
    assert refused.value.message_dict["area"] == ["法律服务站须设在社区。"]
    with pytest.raises(PermissionDenied):
        stations.create_station(actor=cast.street_b, area=tree.community_a, name="x")
    worker = stations.add_worker(
        actor=cast.worker, station=station, name="王律师", role="lawyer", organization="雅州律师事务所"
    )
    assert str(worker) == "王律师（律师）"


def test_sessions_on_the_first_tuesday_at_the_station_with_capacity(station, cast):
    session = _hrss(cast, station)
    occurrences = list(session.series.occurrences.order_by("starts_at"))
    assert [o.occurrence_on for o in occurrences] == [date(2027, 2, 2), date(2027, 3, 2)]
    first = occurrences[0]
    assert (first.kind, first.capacity, first.signup_open, first.place) == (
        "legal_session",
        3,
        True,
        "社区服务中心二楼",
    )
    assert first.starts_at == datetime(2027, 2, 2, 9, 30, tzinfo=BEIJING)


def test_residents_book_and_cancel_and_the_last_place_is_taken_once(station, cast, tree):
    first = _hrss(cast, station, capacity=2).series.occurrences.order_by("starts_at").first()
    neighbour = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    late = make_user("late", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    stations.book(user=cast.resident, occurrence=first)
    stations.book(user=neighbour, occurrence=first)
    with pytest.raises(ValidationError) as refused:
        stations.book(user=late, occurrence=first)
    assert refused.value.code == "full"
    stations.cancel_booking(user=cast.resident, occurrence=first)
    stations.book(user=late, occurrence=first)
    assert first.participants.filter(signed_up_at__isnull=False).count() == 2


def test_consultations_with_their_referral(station, cast):
    first = _hrss(cast, station).series.occurrences.order_by("starts_at").first()
    answered = stations.record_consultation(
        actor=cast.worker,
        station=station,
        occurrence=first,
        resident=cast.resident,
        topic="labour",
        question="公司拖欠工资怎么办？",
        answer="可向劳动监察大队投诉或申请劳动仲裁。",
    )
    assert answered.referral == "none" and answered.occurrence == first
    with pytest.raises(ValidationError) as refused:
        stations.record_consultation(
            actor=cast.worker, station=station, topic="land", question="征地补偿", referral="other_body"
        )
    assert "referred_to" in refused.value.message_dict
    stations.record_consultation(
        actor=cast.worker, station=station, topic="family", question="邻居噪音", referral="mediation"
    )
    assert Consultation.objects.filter(station=station).count() == 2
    with pytest.raises(PermissionDenied):
        stations.record_consultation(actor=cast.street_b, station=station, topic="other", question="x")


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_the_places(time_machine, cast, tree):
    time_machine.move_to(MOMENT, tick=False)
    station = LegalStation.objects.create(area=tree.community_a, name="站", place="二楼")
    first = _hrss(cast, station, capacity=3).series.occurrences.order_by("starts_at").first()
    people = [
        make_user(f"booker{i}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a) for i in range(8)
    ]
    outcomes = race(lambda person: stations.book(user=person, occurrence=first), people)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused:full"] * 5
    assert first.participants.filter(signed_up_at__isnull=False).count() == 3
