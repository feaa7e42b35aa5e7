"""Points (积分) and the community points store (docs/virtue.md, "Points"): the ledger only grows (reversals,
never edits), points come from real deeds once each (attendance, confirmed volunteer hours, awards), an
exchange with too few points or no stock is refused with nothing deducted, pick-up and cancel, and two
exchanges racing for the last item."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Participant
from grassroots.virtue import services_points as points
from grassroots.virtue.models import Exchange, PointsEntry, StoreItem
from grassroots.virtue.models_points import LedgerError
from tests.concurrency import race, server_db_only
from tests.factories import make_user


def give(person, amount, source, area):
    return points.award_points(person, "award", source, area=area, reason="测试奖励", points=amount)


@pytest.fixture
def item(cast, tree):
    return points.create_item(actor=cast.worker, area=tree.community_a, name="洗衣液", price=30, stock=2)


def test_the_ledger_sums_and_reverses_and_is_never_edited(cast, tree):
    first = give(cast.resident, 20, tree.city, tree.community_a)
    give(cast.resident, 15, tree.county, tree.community_a)
    assert points.balance(cast.resident) == 35
    with pytest.raises(PermissionDenied):
        points.reverse_entry(actor=cast.street_b, entry=first, reason="误记")
    with pytest.raises(ValidationError) as info:
        points.reverse_entry(actor=cast.worker, entry=first, reason=" ")
    assert info.value.message_dict == {"reason": ["请填写冲销原因。"]}
    reversal = points.reverse_entry(actor=cast.worker, entry=first, reason="误记")
    assert (reversal.points, reversal.reverses, reversal.reason) == (-20, first, "误记")
    assert points.balance(cast.resident) == 15
    with pytest.raises(ValidationError, match="已冲销"):
        points.reverse_entry(actor=cast.worker, entry=first, reason="再冲一次")
    with pytest.raises(ValidationError, match="不能再冲销"):
        points.reverse_entry(actor=cast.worker, entry=reversal, reason="冲销的冲销")
    # no path changes or deletes a line
    with pytest.raises(LedgerError):
        PointsEntry.objects.filter(pk=first.pk).update(points=999)
    with pytest.raises(LedgerError):
        PointsEntry.objects.filter(pk=first.pk).delete()
    first.points = 999
    with pytest.raises(LedgerError):
        first.save()
    with pytest.raises(LedgerError):
        first.delete()
    assert PointsEntry.objects.count() == 3 and points.balance(cast.resident) == 15


def test_the_database_keeps_one_live_earning_per_deed(cast, tree):
    entry = give(cast.resident, 20, tree.city, tree.community_a)
    assert give(cast.resident, 20, tree.city, tree.community_a) == entry  # idempotent
    twin = PointsEntry(
        person=cast.resident,
        area=tree.community_a,
        rule="award",
        points=20,
        source_type=entry.source_type,
        source_id=entry.source_id,
        reason="再记一次",
        created_at=timezone.now(),
    )
    with pytest.raises(DatabaseError):  # the unique constraint, past the service
        models.QuerySet(PointsEntry).bulk_create([twin])


def test_only_deeds_earn_and_awards_need_a_source(cast, tree):
    with pytest.raises(ValidationError) as info:
        points.award_points(cast.resident, "exchange", tree.city, area=tree.community_a, reason="x")
    assert "rule" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        points.award_points(cast.resident, "award", tree.city, area=tree.community_a, reason="x", points=0)
    assert "points" in info.value.message_dict
    entry = points.award_points(cast.resident, "award", tree.city, area=tree.community_a, reason="最美家庭")
    assert entry.points == 20  # the setting's default for an award


def test_attendance_gives_points_once_and_a_correction_reverses_them(
    cast, tree, django_capture_on_commit_callbacks
):
    start = timezone.now() - timedelta(hours=3)
    gathering = gatherings.create_gathering(
        actor=cast.worker,
        kind="virtue_moral_hall",
        title="道德讲堂",
        area=tree.community_a,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    gatherings.invite(actor=cast.worker, gathering=gathering, users=[cast.resident])
    gatherings.mark_held(actor=cast.worker, gathering=gathering)

    def sheet(present):
        with django_capture_on_commit_callbacks(execute=True):
            gatherings.record_attendance_sheet(
                actor=cast.worker,
                gathering=gathering,
                marks=[(cast.resident, present, "" if present else "生病")],
            )

    sheet(True)
    sheet(True)  # saved twice: earned once
    assert points.balance(cast.resident) == 2
    participant = Participant.objects.get(gathering=gathering, user=cast.resident)
    (entry,) = PointsEntry.objects.filter(person=cast.resident)
    assert (entry.source_type, entry.source_id) == ("gatherings.participant", participant.pk)
    assert entry.rule == "attendance"
    sheet(False)
    assert points.balance(cast.resident) == 0
    sheet(True)  # present after all: earned again, one live earning
    assert points.balance(cast.resident) == 2
    assert PointsEntry.objects.filter(person=cast.resident).count() == 3


def test_confirmed_volunteer_hours_earn_and_their_reversal_takes_back(cast, tree, time_machine):
    from grassroots.cogov import services as cogov
    from grassroots.cogov import services_activities as activities

    start = timezone.now() + timedelta(days=1)
    cogov.sign_up_volunteer(actor=cast.resident, skills=["跑腿"])
    activity = gatherings.create_gathering(
        actor=cast.secretary,
        kind="volunteer_service",
        title="清扫楼道",
        area=tree.community_a,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=3,
        signup_open=True,
    )
    activities.join_activity(user=cast.resident, gathering=activity)
    activities.check_in(user=cast.resident, gathering=activity, now=start)
    activities.check_out(user=cast.resident, gathering=activity, now=start + timedelta(hours=2))
    time_machine.move_to(start + timedelta(hours=3), tick=True)
    (credit,) = activities.confirm_hours(actor=cast.secretary, gathering=activity).credited
    activities.confirm_hours(actor=cast.secretary, gathering=activity)
    assert points.balance(cast.resident) == 10  # 2 hours × 5; no attendance points for the activity itself
    activities.reverse_hours(actor=cast.secretary, credit=credit, reason="签退时间有误")
    assert points.balance(cast.resident) == 0
    reversal = PointsEntry.objects.get(person=cast.resident, reverses__isnull=False)
    assert "签退时间有误" in reversal.reason


def test_exchange_refused_with_too_few_points_or_no_stock_and_nothing_deducted(cast, tree, item):
    give(cast.resident, 25, tree.city, tree.community_a)
    with pytest.raises(ValidationError) as info:
        points.exchange(person=cast.resident, item=item)
    assert info.value.code == "too_few_points"
    assert "积分不足" in info.value.messages[0] and "25" in info.value.messages[0]
    give(cast.resident, 100, tree.county, tree.community_a)
    points.exchange(person=cast.resident, item=item)
    points.exchange(person=cast.resident, item=item)
    assert points.balance(cast.resident) == 65
    with pytest.raises(ValidationError, match="暂无库存") as info:
        points.exchange(person=cast.resident, item=item)
    assert info.value.code == "out_of_stock"
    assert points.balance(cast.resident) == 65
    assert Exchange.objects.count() == 2
    item.refresh_from_db()
    assert item.stock == 0


def test_only_the_communitys_residents_exchange(cast, tree, item):
    outsider = make_user("yucai", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    give(outsider, 100, tree.city, tree.community_b)
    with pytest.raises(ValidationError, match="本社区") as info:
        points.exchange(person=outsider, item=item)
    assert info.value.code == "not_resident"
    assert points.balance(outsider) == 100
    points.update_item(actor=cast.worker, item=item, active=False)
    give(cast.resident, 100, tree.city, tree.community_a)
    with pytest.raises(ValidationError, match="下架"):
        points.exchange(person=cast.resident, item=item)


def test_pick_up_and_cancel(cast, tree, item):
    give(cast.resident, 100, tree.city, tree.community_a)
    picked = points.exchange(person=cast.resident, item=item)
    with pytest.raises(PermissionDenied):
        points.pick_up(actor=cast.street_b, exchange=picked)
    points.pick_up(actor=cast.worker, exchange=picked)
    with pytest.raises(ValidationError, match="已领取"):
        points.cancel_exchange(actor=cast.resident, exchange=picked)
    cancelled = points.exchange(person=cast.resident, item=item)
    assert points.balance(cast.resident) == 40
    with pytest.raises(ValidationError) as info:
        points.cancel_exchange(actor=cast.worker, exchange=cancelled, reason="")
    assert "reason" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        points.cancel_exchange(actor=cast.street_b, exchange=cancelled, reason="x")
    points.cancel_exchange(actor=cast.worker, exchange=cancelled, reason="商品损坏")
    assert points.balance(cast.resident) == 70
    item.refresh_from_db()
    assert item.stock == 1
    with pytest.raises(ValidationError, match="已取消"):
        points.pick_up(actor=cast.worker, exchange=cancelled)
    # the resident cancels their own without a reason
    own = points.exchange(person=cast.resident, item=item)
    points.cancel_exchange(actor=cast.resident, exchange=own)
    assert points.balance(cast.resident) == 70


def test_item_refusals_at_the_field(cast, tree):
    with pytest.raises(ValidationError) as info:
        points.create_item(actor=cast.worker, area=tree.grid_a, name="x", price=1, stock=1)
    assert "area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        points.create_item(actor=cast.worker, area=tree.community_a, name=" ", price=0, stock=-1)
    assert set(info.value.message_dict) == {"name", "price", "stock"}
    with pytest.raises(PermissionDenied):
        points.create_item(actor=cast.street_b, area=tree.community_a, name="x", price=1, stock=1)
    points.create_item(actor=cast.worker, area=tree.community_a, name="毛巾", price=5, stock=1)
    with pytest.raises(ValidationError) as info:
        points.create_item(actor=cast.worker, area=tree.community_a, name="毛巾", price=5, stock=1)
    assert "name" in info.value.message_dict
    assert StoreItem.objects.count() == 1


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_two_exchanges_for_the_last_item(cast, tree):
    item = points.create_item(actor=cast.worker, area=tree.community_a, name="雨伞", price=10, stock=1)
    neighbour = make_user("linju", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    for person, source in ((cast.resident, tree.city), (neighbour, tree.county)):
        give(person, 10, source, tree.community_a)
    outcomes = race(lambda person: points.exchange(person=person, item=item), [cast.resident, neighbour])
    assert sorted(outcomes) == ["ok", "refused:out_of_stock"]
    item.refresh_from_db()
    assert item.stock == 0 and Exchange.objects.count() == 1
    assert points.balance(cast.resident) + points.balance(neighbour) == 10


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_one_person_spending_twice_at_once_cannot_overspend(cast, tree):
    item = points.create_item(actor=cast.worker, area=tree.community_a, name="雨伞", price=10, stock=5)
    give(cast.resident, 15, tree.city, tree.community_a)
    outcomes = race(lambda _: points.exchange(person=cast.resident, item=item), [1, 2, 3])
    assert sorted(outcomes) == ["ok", "refused:too_few_points", "refused:too_few_points"]
    assert points.balance(cast.resident) == 5


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_the_same_award_at_once_is_earned_once(cast, tree):
    outcomes = race(lambda _: give(cast.resident, 20, tree.city, tree.community_a), [1, 2, 3])
    assert outcomes == ["ok"] * 3
    assert points.balance(cast.resident) == 20


def test_a_persons_points_and_exchanges_are_their_data_and_kept_on_deletion(cast, tree, item):
    from grassroots.privacy import registry

    give(cast.resident, 40, tree.city, tree.community_a)
    points.exchange(person=cast.resident, item=item)
    entries = {e.key: e for e in registry.entries()}
    ledger = entries["virtue.points"].collect(cast.resident)
    assert [row["积分"] for row in ledger] == [40, -30]
    (exchange,) = entries["virtue.exchanges"].collect(cast.resident)
    assert exchange["积分商品"] == "洗衣液" and exchange["状态"] == "待领取"
    assert entries["virtue.points"].erase(cast.resident, placeholder="x").how == registry.How.KEPT
    assert entries["virtue.points"].collect(cast.worker) == []


def test_the_participation_figure_per_subtree(cast, tree):
    from grassroots.core.assessments.figures import figures_for

    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    year = timezone.localdate().year
    give(cast.resident, 20, tree.city, tree.community_a)
    figures = figures_for("virtue.points_participation", [tree.street_a, tree.street_b], year)
    assert figures[tree.street_a.pk].normalized_rate == 1
    assert "20" in figures[tree.street_a.pk].detail and tree.street_b.pk not in figures
