"""The registry's admission.carried (承接准入事项) against a hand count (tests/admission/conftest.py
`hand_counted`): this year 桥楼社区 carries 城市, 区县 and 青江 affairs (10000 + 5000 + 3000 yuan),
青衣社区 城市 and 青江 (13000), 育才社区 城市 and 区县 (15000); the affairs without funds received:
桥楼 2, 青衣 1, 育才 1."""

from __future__ import annotations

from decimal import Decimal

from grassroots.figures import compute, registry


def lines(result):
    return [
        (line.area.name, line.value, line.counts["unfunded"], line.counts["funds"])
        for line in result.children
    ]


def test_carried_affairs_for_the_subtree_and_per_child(tree, hand_counted, today):
    carried = registry.get("admission.carried")
    year = hand_counted.year

    county = compute.breakdown(carried, tree.county, year, today)
    assert (county.total.value, county.total.counts["unfunded"]) == (7, 4)
    assert county.total.counts["funds"] == Decimal("46000.00")
    assert county.own is None  # nothing carried by the county itself
    # the ones behind first: the most carried (behind="high")
    assert lines(county) == [
        ("青江街道", 5, 3, Decimal("31000.00")),
        ("东城街道", 2, 1, Decimal("15000.00")),
    ]

    street = compute.breakdown(carried, tree.street_a, year, today)
    assert lines(street) == [
        ("桥楼社区", 3, 2, Decimal("18000.00")),
        ("青衣社区", 2, 1, Decimal("13000.00")),
    ]
    # the children add up to the parent; the subtree's total is the same figure alone
    assert sum(line.value for line in street.children) == street.total.value == 5
    assert compute.totals([carried], tree.street_b, year, today)["admission.carried"].value == 2
    # the trend: every affair first sent down this month (the fixture writes them at the clock's time)
    months = {row["month"]: row["value"] for row in compute.monthly(carried, tree.county, year, today)}
    assert months[today.month] == 7 and sum(months.values()) == 7
    # another year: nothing carried
    assert compute.totals([carried], tree.county, year - 1, today)["admission.carried"].value == 0
