"""Points' figures in the one registry against a hand count (pinned clock): points earned in the subtree
(earnings less reversals, by the line's area) and the participation rate (verified residents who earned and
kept points, by their address), per street, in all and by month; on /api/figures/ for virtue's readers."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grassroots.figures import compute, registry
from grassroots.virtue import services_points as points
from tests.virtue.campaign_helpers import residents


def _line(result, area):
    return next(line for line in result.children if line.area == area)


def _give(person, amount, source, area):
    return points.award_points(person, "award", source, area=area, reason="测试奖励", points=amount)


def test_points_figures_against_a_hand_count(cast, tree, today, time_machine):
    people = residents(tree)  # street A: wang, li, zhao verified + one unverified; street B: outsider
    time_machine.move_to(datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    _give(people.wang, 20, tree.city, tree.community_a)  # March
    time_machine.move_to(datetime(2026, 5, 12, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    wrong = _give(people.li, 15, tree.county, tree.community_a)
    points.reverse_entry(actor=cast.worker, entry=wrong, reason="误记")  # li keeps nothing
    _give(people.unverified, 10, tree.city, tree.community_a)  # points, but not a verified resident
    _give(people.outsider, 5, tree.city, tree.community_b)
    year = today.year

    earned = compute.breakdown(registry.get("virtue.points_earned"), tree.county, year, today)
    assert earned.total.value == 20 + 15 - 15 + 10 + 5
    assert (_line(earned, tree.street_a).value, _line(earned, tree.street_b).value) == (30, 5)

    taking_part = registry.get("virtue.points_participation")
    rate = compute.breakdown(taking_part, tree.county, year, today)
    assert (rate.total.counts["residents"], rate.total.counts["earned"]) == (4, 2)
    assert rate.total.value == Decimal("50.0")
    street_a, street_b = _line(rate, tree.street_a), _line(rate, tree.street_b)
    assert (street_a.counts["residents"], street_a.counts["earned"], street_a.value) == (
        3,
        1,
        Decimal("33.3"),
    )
    assert street_b.value == Decimal("100.0")
    # the children's counts add up to the parent's
    assert sum(line.counts["residents"] for line in rate.children) == rate.total.counts["residents"]

    by_month = {
        m["month"]: m["value"]
        for m in compute.monthly(registry.get("virtue.points_earned"), tree.county, year, today)
    }
    assert (by_month[3], by_month[4], by_month[5]) == (20, 0, 15) and 6 not in by_month
    trend = {m["month"]: m["value"] for m in compute.monthly(taking_part, tree.county, year, today)}
    assert (trend[3], trend[4], trend[5]) == (Decimal("25.0"), Decimal("0.0"), Decimal("25.0"))

    # the assessments read the same entry
    assert taking_part.provider is not None


def test_the_points_figures_are_for_those_who_read_virtue(api_for, cast, tree):
    rows = api_for(cast.city).get("/api/figures/", {"page_size": 100}).json()["results"]
    assert {"virtue.points_earned", "virtue.points_participation"} <= {row["name"] for row in rows}
    assert api_for(cast.resident).get("/api/figures/virtue.points_earned/").status_code == 404
