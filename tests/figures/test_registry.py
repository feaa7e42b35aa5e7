"""The one figure registry (docs/figures.md): figures against a hand count on a small fixture (members by
status and lost contact, events and attendance), drill-down consistency (own + children = the subtree, each
child's line = that child's own total; for a count of distinct people the total lies between the largest
line and their sum) for every registered figure, the monthly trend, the API (the catalog by permission; a
figure per area, scoped: owner, member of another street, outsider) and query counts that do not grow with
the number of child areas."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from grassroots.figures import compute, registry
from tests.factories import Level, make_area

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return datetime(year, month, day, 9, 0, tzinfo=BEIJING)


def _line(result, area):
    return next(line for line in result.children if line.area == area)


def test_members_by_status_and_lost_contact_against_a_hand_count(tree, data, today):
    members = registry.get("members.by_status")
    result = compute.breakdown(members, tree.county, data, today)
    # open members: 甲 乙 丙 (street A), 丁 (street B), 己 (the county's own branch); 戊 died
    assert result.total.value == 5
    assert result.total.counts["deceased"] == 1
    assert result.own.value == 1
    assert _line(result, tree.street_a).value == 3
    assert _line(result, tree.street_b).value == 1
    lost = registry.get("members.lost_contact")
    result = compute.breakdown(lost, tree.county, data, today)
    assert result.total.value == 2
    assert [(line.area, line.value) for line in result.children] == [(tree.street_a, 1), (tree.street_b, 0)]
    # the most lost contacts first ("high" is behind)
    trend = compute.monthly(members, tree.county, data, today)
    assert [row["month"] for row in trend] == list(range(1, today.month + 1))
    assert trend[2]["value"] == 5 and sum(row["value"] for row in trend) == 5


def test_events_and_attendance_against_a_hand_count(tree, data, today):
    held = compute.breakdown(registry.get("gatherings.held"), tree.county, data, today)
    assert held.total.value == 2
    assert held.total.counts["cancelled"] == 1
    attendance = compute.breakdown(registry.get("gatherings.attendance"), tree.county, data, today)
    # street A: 2 present of 3 recorded; street B: 1 of 1 (one not recorded): 3 of 4 overall
    assert float(attendance.total.value) == 75.0
    assert float(_line(attendance, tree.street_a).value) == pytest.approx(66.7)
    assert float(_line(attendance, tree.street_b).value) == 100.0
    # the lowest rate first
    assert [line.area for line in attendance.children] == [tree.street_a, tree.street_b]
    trend = compute.monthly(registry.get("gatherings.attendance"), tree.county, data, today)
    assert [(row["month"], row["value"] and float(row["value"])) for row in trend[:3]] == [
        (1, None),
        (2, pytest.approx(66.7)),
        (3, 100.0),
    ]


@pytest.mark.parametrize("name", [d.name for d in registry.definitions()])
def test_every_figure_drills_down_consistently(tree, data, today, name):
    """Own line and children add up to the subtree; each child's line is that child's own total; the
    monthly trend's counts add up to no more than the year's (the trend counts the months passed)."""
    definition = registry.get(name)
    result = compute.breakdown(definition, tree.county, data, today)
    lines = [result.own.counts if result.own else {}] + [line.counts for line in result.children]
    for key, value in result.total.counts.items():
        if definition.distinct:  # people once per line: the total lies between the largest line and the sum
            assert max((line.get(key) or 0) for line in lines) <= (value or 0), key
            assert (value or 0) <= sum((line.get(key) or 0) for line in lines), key
        else:
            assert (value or 0) == sum((line.get(key) or 0) for line in lines), key
    alone = compute.totals([definition], tree.street_a, data, today)[name]
    assert alone.counts == _line(result, tree.street_a).counts
    assert alone.value == _line(result, tree.street_a).value
    compute.monthly(definition, tree.county, data, today)


def test_the_catalog_shows_only_the_figures_one_may_see(api_for, cast, data):
    rows = api_for(cast.street_a).get("/api/figures/", {"page_size": 100}).json()["results"]
    names = {row["name"] for row in rows}
    assert {"members.by_status", "duties.completion", "gatherings.attendance"} <= names
    row = next(r for r in rows if r["name"] == "members.study")
    assert row["unit"] == "%" and row["definition"] and row["label"]


def test_a_resident_reads_only_the_figures_marked_public(api_for, cast, tree, data):
    """The figures published to residents are marked `public` in the registry; every other one needs the
    officials' permission (figures.dashboard) too, even where the part's view permission is public (共治)."""
    public = {d.name for d in registry.definitions() if d.public}
    assert public == {"selfgov.matters", "selfgov.matters_evaluated"}
    api = api_for(cast.resident)
    rows = api.get("/api/figures/", {"page_size": 100}).json()["results"]
    assert {row["name"] for row in rows} == public
    assert api.get("/api/figures/selfgov.matters/").status_code == 200
    for name in ("cogov.items_delivered", "cogov.service_hours", "members.by_status"):
        assert api.get(f"/api/figures/{name}/").status_code == 404, name
    # an official reads them all, within their scope
    names = {
        row["name"]
        for row in api_for(cast.street_a).get("/api/figures/", {"page_size": 100}).json()["results"]
    }
    assert {"cogov.items_delivered", "selfgov.matters", "members.by_status"} <= names


def test_a_figure_not_public_needs_a_permission_no_public_role_holds():
    """A figure left unmarked is for officials: its permission and figures.dashboard are never both held by
    a resident, a member or a partner representative alone."""
    from grassroots.accounts.roles import PUBLIC, ROLE_PERMISSIONS

    for role in PUBLIC:
        assert registry.DASHBOARD not in ROLE_PERMISSIONS[role], role


def test_a_figure_per_area_is_scoped(api_for, cast, tree, data):
    api = api_for(cast.street_a)
    body = api.get("/api/figures/members.by_status/", {"area": tree.street_a.pk}).json()
    assert body["total"]["value"] == 3
    assert [line["area"] for line in body["children"]] == [tree.community_a.pk]
    # without ?area= the user's own area
    assert api.get("/api/figures/members.by_status/").json()["total"]["area"] == tree.street_a.pk
    # another street, the county above and an unknown figure: 404
    assert api.get("/api/figures/members.by_status/", {"area": tree.street_b.pk}).status_code == 404
    assert api.get("/api/figures/members.by_status/", {"area": tree.county.pk}).status_code == 404
    assert api.get("/api/figures/nothing.here/").status_code == 404
    assert api_for(cast.resident).get("/api/figures/members.by_status/").status_code == 404
    county = api_for(cast.city).get("/api/figures/members.by_status/", {"area": tree.county.pk}).json()
    assert county["own"]["value"] == 1
    assert sum(line["value"] for line in county["children"]) + county["own"]["value"] == 5


def _grow(tree, n):
    for i in range(n):
        make_area(f"新街道{i}", Level.STREET, tree.county)


@pytest.mark.parametrize("children", [2, 6])
def test_the_query_count_does_not_grow_with_the_children(
    api_for, cast, tree, data, children, django_assert_max_num_queries
):
    _grow(tree, children - 2)
    api = api_for(cast.city)
    for definition in registry.definitions():
        with django_assert_max_num_queries(20):
            response = api.get(f"/api/figures/{definition.name}/", {"area": tree.county.pk})
        assert response.status_code == 200, definition.name
        assert len(response.json()["children"]) == children
