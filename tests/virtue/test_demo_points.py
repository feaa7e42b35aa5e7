"""The demo's points come from real deeds (issue 17): after seeding tier S the demo resident and member have
the attendance points of the moral lecture hall they checked in at — a ledger line whose source is their
attendance (`Participant`), earned through `services_points.earn_for_attendance`, the attendance signal's
function — and no line without a deed behind it; loading twice adds no line. The goods' stock ledgers sum
to their stock."""

import pytest
from django.db.models import Sum

from grassroots.accounts.models import User
from grassroots.gatherings.models import Participant
from grassroots.virtue.models_points import PointsEntry, PointsRule, StockEntry, StockKind, StoreItem
from tests.demo.seeding import seed_only

STEPS = {"areas", "party_orgs", "users", "residents", "virtue_points"}


@pytest.mark.django_db
def test_the_demo_people_earn_from_a_checked_in_attendance_once():
    seed_only(STEPS)
    people = list(User.objects.filter(username__in=["resident", "member"]))
    assert people
    for person in people:
        line = PointsEntry.objects.get(person=person, rule=PointsRule.ATTENDANCE, reverses__isnull=True)
        assert line.source_type == "gatherings.participant"
        attendance = Participant.objects.get(pk=line.source_id)
        assert (attendance.user, attendance.present) == (person, True)
        assert attendance.checked_in_at is not None
        assert line.area == attendance.gathering.area and line.reason == attendance.gathering.title
    # every earning has its deed: attendance only here (no award without a campaign's award behind it)
    earnings = PointsEntry.objects.filter(points__gt=0, reverses__isnull=True)
    assert set(earnings.values_list("rule", flat=True)) == {PointsRule.ATTENDANCE}
    # the goods' stock ledgers (opening, exchanges, the cancellation) sum to their stock
    goods = list(StoreItem.objects.annotate(lines=Sum("stock_entries__change")))
    assert goods and all((good.lines or 0) == good.stock for good in goods)
    assert StockEntry.objects.filter(kind=StockKind.OPENING).count() == sum(1 for g in goods if g.lines)
    lines, stock_lines = PointsEntry.objects.count(), StockEntry.objects.count()
    seed_only(STEPS)
    assert PointsEntry.objects.count() == lines and StockEntry.objects.count() == stock_lines
