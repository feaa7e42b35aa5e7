"""/api/party-orgs/: scoped by the organization's area; ?area= (subtree), ?kind=, ?parent=, ?q=."""

import pytest

from tests.api.helpers import names
from tests.factories import make_party_org


@pytest.fixture
def orgs(tree, cast):
    street_a = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community_a = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street_a)
    grid_a = make_party_org("第一网格党支部", tree.grid_a, kind="branch", parent=community_a)
    community_a.secretary = cast.secretary
    community_a.save()
    community_b = make_party_org("育才社区党委", tree.community_b, kind="committee")
    return {"street_a": street_a, "community_a": community_a, "grid_a": grid_a, "community_b": community_b}


def test_each_official_lists_only_their_subtree(cast, orgs, api_for):
    assert names(api_for(cast.street_a).get("/api/party-orgs/")) == {
        "青江街道党工委",
        "桥楼社区党委",
        "第一网格党支部",
    }
    assert names(api_for(cast.street_b).get("/api/party-orgs/")) == {"育才社区党委"}


def test_outside_the_scope_answers_404(cast, orgs, api_for):
    assert api_for(cast.street_b).get(f"/api/party-orgs/{orgs['community_a'].pk}/").status_code == 404
    assert api_for(cast.street_a).get(f"/api/party-orgs/{orgs['community_a'].pk}/").status_code == 200


def test_a_resident_cannot_list_party_orgs(cast, orgs, api_for):
    assert names(api_for(cast.resident).get("/api/party-orgs/")) == set()
    assert api_for(cast.resident).get(f"/api/party-orgs/{orgs['grid_a'].pk}/").status_code == 404


def test_a_row_has_the_documented_fields(cast, tree, orgs, api_for):
    row = api_for(cast.street_a).get(f"/api/party-orgs/{orgs['community_a'].pk}/").json()
    assert row == {
        "id": orgs["community_a"].pk,
        "name": "桥楼社区党委",
        "kind": "committee",
        "kind_label": "党委",
        "code": None,
        "area": tree.community_a.pk,
        "area_name": "桥楼社区",
        "parent": orgs["street_a"].pk,
        "secretary": cast.secretary.pk,
        "secretary_name": "secretary",
        "retired": False,
    }


def test_filters(cast, tree, orgs, api_for):
    api = api_for(cast.city)
    assert names(api.get("/api/party-orgs/", {"area": tree.community_a.pk})) == {
        "桥楼社区党委",
        "第一网格党支部",
    }
    assert names(api.get("/api/party-orgs/", {"kind": "branch"})) == {"第一网格党支部"}
    assert names(api.get("/api/party-orgs/", {"parent": orgs["street_a"].pk})) == {"桥楼社区党委"}
    assert names(api.get("/api/party-orgs/", {"q": "社区"})) == {"桥楼社区党委", "育才社区党委"}
    assert api.get("/api/party-orgs/", {"kind": "nonsense"}).status_code == 400


def test_filters_by_an_area_or_parent_outside_the_scope(cast, tree, orgs, api_for):
    api = api_for(cast.street_b)
    assert api.get("/api/party-orgs/", {"area": tree.community_a.pk}).status_code == 404  # a missing area
    assert names(api.get("/api/party-orgs/", {"parent": orgs["street_a"].pk})) == set()


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(cast, tree, api_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        org = make_party_org(f"党支部{i}", tree.community_a)
        org.secretary = cast.secretary
        org.save()
    api = api_for(cast.street_a)
    # token + user, grants, count, the page with areas and secretaries joined
    with django_assert_max_num_queries(4):
        response = api.get("/api/party-orgs/", {"page_size": 100})
    assert response.json()["count"] == rows
