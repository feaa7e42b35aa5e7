"""accounts.staff counts people (docs/figures.md): a person with posts in two child areas counts in each
child's line and once in the subtree's total; two posts inside one line count once there; the user's scope
counts a person once; and the query count does not grow with the child areas."""

from __future__ import annotations

import pytest

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.figures import compute, registry
from tests.factories import Level, make_area, make_user


@pytest.fixture
def staff(tree, cast):
    """P works in both streets (street official of A, community worker in B's community); the secretary also
    holds a post on A's grid; a resident and a member hold no working role."""
    person = make_user("p", Role.STREET_OFFICIAL, tree.street_a)
    RoleGrant.objects.create(user=person, role=Role.COMMUNITY_WORKER, area=tree.community_b)
    RoleGrant.objects.create(user=cast.secretary, role=Role.GRID_WORKER, area=tree.grid_a)
    make_user("m", Role.MEMBER, tree.community_b)
    return person


def _lines(result):
    return {line.area.name: line.value for line in result.children}


def test_a_person_working_in_two_children_counts_once_in_the_total(tree, cast, staff):
    figure = registry.get("accounts.staff")
    assert figure.distinct
    county = compute.breakdown(figure, tree.county, 2026)
    # 青江街道: street_a, secretary (two posts: once), worker, P; 东城街道: street_b, P
    assert _lines(county) == {"青江街道": 4, "东城街道": 2}
    assert county.own is None
    assert county.total.value == 5  # P once, not 6
    # the same from the totals (the home's figures, the assessments' targets)
    assert compute.totals([figure], tree.county, 2026)["accounts.staff"].value == 5
    assert compute.totals([figure], tree.city, 2026)["accounts.staff"].value == 8  # + city, auditor, admin
    # the secretary's two posts in 桥楼社区 (on it and on its grid): once in the community, once on the grid
    community = compute.breakdown(figure, tree.community_a, 2026)
    assert (community.own.value, _lines(community), community.total.value) == (2, {"第一网格": 1}, 2)


def test_the_scope_of_two_areas_counts_a_person_once(tree, cast, staff):
    figure = registry.get("accounts.staff")
    paths = [tree.street_a.path, tree.community_b.path]
    # street A's four and 育才社区's P, who is one of them
    assert compute.over_paths(figure, paths, 2026)["staff"] == 4


def test_the_dashboard_api_shows_the_lines_and_the_distinct_total(api_for, cast, tree, staff):
    response = api_for(cast.city).get("/api/figures/accounts.staff/", {"area": tree.county.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["value"] == 5
    assert sorted(line["value"] for line in body["children"]) == [2, 4]


@pytest.mark.parametrize("children", [2, 6])
def test_the_query_count_does_not_grow_with_the_children(
    tree, cast, staff, children, django_assert_max_num_queries
):
    for i in range(children - 2):
        street = make_area(f"新街道{i}", Level.STREET, tree.county)
        make_user(f"s{i}", Role.STREET_OFFICIAL, street)
        RoleGrant.objects.create(user=staff, role=Role.STREET_OFFICIAL, area=street)
    figure = registry.get("accounts.staff")
    with django_assert_max_num_queries(3):  # the lines, the child areas, the total
        result = compute.breakdown(figure, tree.county, 2026)
    assert len(result.children) == children
    assert result.total.value == 5 + (children - 2)  # each new street's official; P still once
    with django_assert_max_num_queries(1):
        assert compute.totals([figure], tree.county, 2026)["accounts.staff"].value == 5 + (children - 2)
