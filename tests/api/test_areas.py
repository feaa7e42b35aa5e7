"""/api/areas/: scoped list and retrieve, ?under=, ?parent=, ?level=, ?q=, fields, constant queries."""

import pytest

from tests.api.helpers import names
from tests.factories import Level, make_area


def test_each_official_lists_only_their_subtree(cast, tree, api_for):
    assert names(api_for(cast.street_a).get("/api/areas/")) == {
        "青江街道",
        "桥楼社区",
        "第一网格",
        "一号院落",
    }
    assert names(api_for(cast.street_b).get("/api/areas/")) == {"东城街道", "育才社区"}
    assert len(names(api_for(cast.city).get("/api/areas/"))) == 8


def test_an_area_outside_the_scope_answers_404(cast, tree, api_for):
    api = api_for(cast.street_b)
    response = api.get(f"/api/areas/{tree.community_a.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found", "errors": {}}, "as if missing"
    assert api.get("/api/areas/999999/").json() == response.json()
    assert api.get(f"/api/areas/{tree.community_b.pk}/").status_code == 200


def test_anonymous_gets_401(db, tree, anonymous_api):
    assert anonymous_api.get("/api/areas/").status_code == 401
    assert anonymous_api.get(f"/api/areas/{tree.city.pk}/").status_code == 401


def test_a_row_has_the_documented_fields(cast, tree, api_for):
    row = api_for(cast.city).get(f"/api/areas/{tree.community_a.pk}/").json()
    assert row == {
        "id": tree.community_a.pk,
        "name": "桥楼社区",
        "level": Level.COMMUNITY,
        "level_label": "社区",
        "code": "511802001001",
        "parent": tree.street_a.pk,
        "depth": 4,
        "numchild": 1,
        "retired": False,
        "path": tree.community_a.path,
    }
    assert api_for(cast.city).get(f"/api/areas/{tree.city.pk}/").json()["parent"] is None


def test_rows_come_in_tree_order_with_their_parents(cast, tree, api_for):
    rows = api_for(cast.city).get("/api/areas/").json()["results"]
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        if row["parent"] is not None:
            assert row["path"].startswith(by_id[row["parent"]]["path"])
            assert by_id[row["parent"]]["depth"] == row["depth"] - 1


def test_under_is_the_subtree_itself_included(cast, tree, api_for):
    api = api_for(cast.city)
    assert names(api.get("/api/areas/", {"under": tree.street_a.pk})) == {
        "青江街道",
        "桥楼社区",
        "第一网格",
        "一号院落",
    }
    assert names(api.get("/api/areas/", {"under": tree.grid_a.pk})) == {"第一网格", "一号院落"}


def test_under_an_area_outside_the_scope_answers_404(cast, tree, api_for):
    """As a missing area (scoping.area_from_request, as on the pages)."""
    api = api_for(cast.street_b)
    assert api.get("/api/areas/", {"under": tree.street_a.pk}).status_code == 404
    assert api.get("/api/areas/", {"under": tree.city.pk}).status_code == 404  # above the scope: not visible
    assert api.get("/api/areas/", {"under": 999999}).status_code == 404
    assert api.get("/api/areas/", {"under": "abc"}).status_code == 400


def test_parent_gives_the_direct_children(cast, tree, api_for):
    api = api_for(cast.city)
    assert names(api.get("/api/areas/", {"parent": tree.county.pk})) == {"青江街道", "东城街道"}
    assert api_for(cast.street_b).get("/api/areas/", {"parent": tree.county.pk}).status_code == 404


def test_level_name_and_code_filters(cast, tree, api_for):
    api = api_for(cast.city)
    assert names(api.get("/api/areas/", {"level": Level.STREET})) == {"青江街道", "东城街道"}
    assert names(api.get("/api/areas/", {"q": "社区"})) == {"桥楼社区", "育才社区"}
    assert names(api.get("/api/areas/", {"code": "511802002"})) == {"东城街道", "育才社区"}
    assert names(api.get("/api/areas/", {"q": "社区", "under": tree.street_b.pk})) == {"育才社区"}
    assert names(api_for(cast.street_b).get("/api/areas/", {"q": "桥楼"})) == set()


def test_pagination(cast, tree, api_for):
    api = api_for(cast.city)
    first = api.get("/api/areas/", {"page_size": 3}).json()
    assert first["count"] == 8
    assert len(first["results"]) == 3
    assert first["next"] and first["previous"] is None
    last = api.get("/api/areas/", {"page_size": 3, "page": 3}).json()
    assert len(last["results"]) == 2
    assert api.get("/api/areas/", {"page": 99}).status_code == 404


def test_a_resident_sees_the_areas_of_their_grant(cast, tree, api_for):
    assert names(api_for(cast.resident).get("/api/areas/")) == {"一号院落"}


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(cast, tree, api_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_area(f"楼栋{i}", Level.BUILDING, tree.courtyard_a)
    api = api_for(cast.street_a)
    # token + user, the user's grants, count, the page (parents by subquery)
    with django_assert_max_num_queries(4):
        response = api.get("/api/areas/", {"page_size": 100})
    assert response.json()["count"] == 4 + rows
