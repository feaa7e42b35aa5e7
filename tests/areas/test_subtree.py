"""The subtree filter and the path tests (grassroots/areas/subtree.py), on the fixed tree."""

import pytest
from django.db import connection

from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import (
    ancestor_paths,
    children_q,
    common_ancestor,
    holds_q,
    lies_under,
    nested,
    outermost,
    under_q,
)


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_under_q_on_areas(tree):
    assert names(Area.objects.filter(under_q(tree.street_a.path, "path"))) == {
        "青江街道",
        "桥楼社区",
        "第一网格",
        "一号院落",
    }
    both = under_q([tree.community_a.path, tree.street_b.path], "path")
    assert names(Area.objects.filter(both)) == {"桥楼社区", "第一网格", "一号院落", "东城街道", "育才社区"}
    assert not Area.objects.filter(under_q([], "path")).exists()
    # Nested paths collapse to the outer one; excluding a subtree keeps everything else.
    assert names(Area.objects.filter(under_q([tree.street_a.path, tree.grid_a.path], "path"))) == names(
        Area.objects.filter(under_q(tree.street_a.path, "path"))
    )
    assert names(Area.objects.exclude(under_q(tree.county.path, "path"))) == {"雅安市"}


def test_holds_q_the_areas_above_some_row(tree):
    courtyard = Area.objects.filter(name="一号院落")
    everywhere = range(1, 9)
    assert names(Area.objects.filter(holds_q(courtyard, "path", everywhere))) == {
        "雅安市",
        "雨城区",
        "青江街道",
        "桥楼社区",
        "第一网格",
        "一号院落",
    }
    assert names(Area.objects.filter(holds_q(courtyard, "path", [tree.community_a.depth]))) == {"桥楼社区"}
    assert not Area.objects.filter(holds_q(courtyard.none(), "path", everywhere)).exists()
    assert not Area.objects.filter(holds_q(courtyard, "path", [])).exists()


def test_holds_q_through_a_relation_agrees_with_lies_under(tree, cast):
    grants = RoleGrant.objects.filter(area__in=[tree.community_a, tree.street_b])
    paths = set(grants.values_list("area__path", flat=True))
    assert paths == {tree.community_a.path, tree.street_b.path}
    held = set(Area.objects.filter(holds_q(grants, "area__path", range(1, 9))).values_list("path", flat=True))
    assert held == {a.path for a in Area.objects.all() if any(lies_under(p, a.path) for p in paths)}
    assert tree.street_a.path in held and tree.community_b.path not in held


def test_under_q_through_a_relation(tree, cast):
    """The default field is `area__path`; any other lookup of a path is named."""
    org = PartyOrg.objects.create(name="桥楼社区党委", kind=PartyOrgKind.COMMITTEE, area=tree.community_a)
    PartyOrg.objects.create(name="育才社区党委", kind=PartyOrgKind.COMMITTEE, area=tree.community_b)
    assert list(PartyOrg.objects.filter(under_q(tree.street_a.path))) == [org]
    on_a = RoleGrant.objects.filter(under_q(tree.street_a.path)).values_list("user__username", flat=True)
    assert set(on_a) == {"street_a", "secretary", "worker", "resident"}
    homes = cast.resident.__class__.objects.filter(under_q(tree.grid_a.path, "home_area__path"))
    assert list(homes.values_list("username", flat=True)) == ["resident"]


def test_under_q_is_an_index_range_on_sqlite(tree):
    """Django's startswith alone is a case-insensitive LIKE, a full scan on SQLite; the range beside it lets
    SQLite search the path index (docs/decisions.md)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")

    def plan(queryset) -> str:
        sql, params = queryset.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())

    assert plan(Area.objects.filter(path__startswith=tree.street_a.path)).startswith("SCAN")
    ranged = plan(Area.objects.filter(under_q(tree.street_a.path, "path")))
    assert ranged.startswith("SEARCH") and "INDEX" in ranged and "path>" in ranged, ranged


def test_children_q(tree):
    assert names(Area.objects.filter(children_q(tree.county.path))) == {"青江街道", "东城街道"}
    assert names(Area.objects.filter(children_q([tree.street_a.path, tree.street_b.path]))) == {
        "桥楼社区",
        "育才社区",
    }
    assert not Area.objects.filter(children_q(tree.courtyard_a.path)).exists()
    assert not Area.objects.filter(children_q([])).exists()


def test_python_side_tests(tree):
    a, b, grid = tree.street_a.path, tree.street_b.path, tree.grid_a.path
    assert lies_under(grid, a) and lies_under(a, a) and lies_under(grid, [b, a])
    assert not lies_under(a, grid) and not lies_under(grid, [b]) and not lies_under(grid, [])
    assert not lies_under(None, [a])
    assert nested(a, grid) and nested(grid, a) and nested(a, a) and not nested(a, b)
    assert outermost([grid, a, b, tree.community_a.path, b]) == sorted([a, b])


def test_ancestors_and_common_ancestor(tree):
    city, county, street, grid = tree.city.path, tree.county.path, tree.street_a.path, tree.grid_a.path
    assert ancestor_paths(street) == [city, county, street]
    assert ancestor_paths(street, include_self=False) == [city, county]
    assert ancestor_paths([street, tree.street_b.path]) == [city, county, street, tree.street_b.path]
    assert ancestor_paths(city, include_self=False) == []
    assert [a.path for a in tree.grid_a.ancestors_with_self()] == ancestor_paths(grid)
    assert common_ancestor([grid, tree.community_b.path]) == county
    assert common_ancestor([grid]) == grid
    assert common_ancestor([grid, tree.community_a.path]) == tree.community_a.path
    assert common_ancestor([]) == ""
    assert common_ancestor(["0001", "0002"]) == ""
