"""Writes on /api/areas/ and /api/party-orgs/ go through the area services: scope (404), permission (403),
rules (400 with the Chinese message on the field)."""

import pytest

from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, PartyOrg
from tests.factories import Level, make_party_org, make_user

# --- areas ----------------------------------------------------------------------------------------------


def test_create_under_a_parent_in_scope(cast, tree, api_for):
    response = api_for(cast.street_a).post(
        "/api/areas/", {"parent": tree.community_a.pk, "name": "第二网格", "level": Level.GRID}, format="json"
    )
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["name"], row["parent"], row["depth"], row["level_label"]) == (
        "第二网格",
        tree.community_a.pk,
        5,
        "网格",
    )
    assert Area.objects.get(pk=row["id"]).path.startswith(tree.community_a.path)


def test_create_under_a_parent_outside_the_scope_is_refused(cast, tree, api_for):
    response = api_for(cast.street_b).post(
        "/api/areas/", {"parent": tree.community_a.pk, "name": "越界网格", "level": Level.GRID}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]  # answered like a missing id
    assert not Area.objects.filter(name="越界网格").exists()


def test_create_needs_areas_change(cast, tree, api_for):
    response = api_for(cast.worker).post(
        "/api/areas/", {"parent": tree.grid_a.pk, "name": "二号院落", "level": Level.COURTYARD}, format="json"
    )
    assert response.status_code == 403
    assert not Area.objects.filter(name="二号院落").exists()


def test_create_breaking_a_rule_is_a_400_on_the_field(cast, tree, api_for):
    response = api_for(cast.street_a).post(
        "/api/areas/", {"parent": tree.community_a.pk, "name": "错层", "level": Level.STREET}, format="json"
    )
    assert response.status_code == 400
    assert "层级" in response.json()["errors"]["level"][0]
    response = api_for(cast.street_a).post(
        "/api/areas/",
        {"parent": tree.community_a.pk, "name": "重码", "level": Level.GRID, "code": "511802002001"},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_patch_name_and_code(cast, tree, api_for):
    response = api_for(cast.street_a).patch(
        f"/api/areas/{tree.grid_a.pk}/", {"name": "第一网格（新）", "code": "511802001901"}, format="json"
    )
    assert response.status_code == 200, response.content
    tree.grid_a.refresh_from_db()
    assert (tree.grid_a.name, tree.grid_a.code) == ("第一网格（新）", "511802001901")
    assert response.json()["parent"] == tree.community_a.pk


def test_patch_outside_the_scope_is_404_and_without_permission_403(cast, tree, api_for):
    assert (
        api_for(cast.street_b)
        .patch(f"/api/areas/{tree.grid_a.pk}/", {"name": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api_for(cast.worker).patch(f"/api/areas/{tree.grid_a.pk}/", {"name": "x"}, format="json").status_code
        == 403
    )
    tree.grid_a.refresh_from_db()
    assert tree.grid_a.name == "第一网格"


def test_put_and_delete_are_not_offered(cast, tree, api_for):
    api = api_for(cast.admin)
    assert api.put(f"/api/areas/{tree.grid_a.pk}/", {"name": "x"}, format="json").status_code == 405
    assert api.delete(f"/api/areas/{tree.grid_a.pk}/").status_code == 405


def test_move(cast, tree, api_for):
    extra = (
        api_for(cast.street_a)
        .post(
            "/api/areas/",
            {"parent": tree.community_a.pk, "name": "第二网格", "level": Level.GRID},
            format="json",
        )
        .json()
    )
    response = api_for(cast.street_a).post(
        f"/api/areas/{tree.courtyard_a.pk}/move/", {"new_parent": extra["id"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == extra["id"]
    tree.courtyard_a.refresh_from_db()
    assert tree.courtyard_a.path.startswith(Area.objects.get(pk=extra["id"]).path)


def test_move_to_another_street_or_into_itself_is_refused(cast, tree, api_for):
    api = api_for(cast.street_a)
    response = api.post(
        f"/api/areas/{tree.grid_a.pk}/move/", {"new_parent": tree.community_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert "new_parent" in response.json()["errors"]
    response = api.post(
        f"/api/areas/{tree.grid_a.pk}/move/", {"new_parent": tree.courtyard_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "new_parent" in response.json()["errors"]
    assert (
        api_for(cast.street_b)
        .post(f"/api/areas/{tree.grid_a.pk}/move/", {"new_parent": tree.community_b.pk}, format="json")
        .status_code
        == 404
    )
    tree.grid_a.refresh_from_db()
    assert tree.grid_a.path.startswith(tree.community_a.path)


def test_retire(cast, tree, api_for):
    api = api_for(cast.street_a)
    response = api.post(f"/api/areas/{tree.grid_a.pk}/retire/", {}, format="json")
    assert response.status_code == 400  # it has a live courtyard below it
    assert "cascade" in response.json()["errors"]
    response = api.post(f"/api/areas/{tree.grid_a.pk}/retire/", {"cascade": True}, format="json")
    assert response.status_code == 200
    assert response.json()["retired"] is True
    tree.courtyard_a.refresh_from_db()
    assert tree.courtyard_a.retired


def test_retire_the_root_of_ones_scope_is_403_and_elsewhere_404(cast, tree, api_for):
    assert (
        api_for(cast.street_a).post(f"/api/areas/{tree.street_a.pk}/retire/", {}, format="json").status_code
        == 403
    )
    assert (
        api_for(cast.street_b).post(f"/api/areas/{tree.grid_a.pk}/retire/", {}, format="json").status_code
        == 404
    )
    assert not Area.objects.filter(retired=True).exists()


# --- Party organizations --------------------------------------------------------------------------------


@pytest.fixture
def committee(tree):
    return make_party_org("桥楼社区党委", tree.community_a, kind="committee")


def test_create_a_party_org(cast, tree, committee, api_for):
    member = make_user("member", Role.MEMBER, tree.grid_a)
    response = api_for(cast.street_a).post(
        "/api/party-orgs/",
        {
            "name": "第一网格党支部",
            "kind": "branch",
            "area": tree.grid_a.pk,
            "parent": committee.pk,
            "secretary": member.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    org = PartyOrg.objects.get(pk=response.json()["id"])
    assert (org.area, org.parent, org.secretary) == (tree.grid_a, committee, member)
    assert response.json()["secretary_name"] == "member"


def test_create_a_party_org_outside_the_scope_or_without_permission(cast, tree, committee, api_for):
    response = api_for(cast.street_b).post(
        "/api/party-orgs/", {"name": "越界支部", "kind": "branch", "area": tree.grid_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "area" in response.json()["errors"]
    response = api_for(cast.worker).post(
        "/api/party-orgs/", {"name": "无权支部", "kind": "branch", "area": tree.grid_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert not PartyOrg.objects.exclude(pk=committee.pk).exists()


def test_a_rule_broken_is_a_400_with_the_reason(cast, tree, committee, api_for):
    response = api_for(cast.street_a).post(
        "/api/party-orgs/", {"name": "孤立党小组", "kind": "group", "area": tree.grid_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["kind"] == ["党小组必须隶属于一个党支部"]


def test_patch_and_retire_a_party_org(cast, tree, committee, api_for):
    api = api_for(cast.street_a)
    response = api.patch(
        f"/api/party-orgs/{committee.pk}/", {"name": "桥楼社区党委（新）", "code": "QL-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    committee.refresh_from_db()
    assert (committee.name, committee.code) == ("桥楼社区党委（新）", "QL-01")
    assert (
        api_for(cast.street_b)
        .patch(f"/api/party-orgs/{committee.pk}/", {"name": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api_for(cast.worker)
        .patch(f"/api/party-orgs/{committee.pk}/", {"name": "x"}, format="json")
        .status_code
        == 403
    )
    assert api_for(cast.street_b).post(f"/api/party-orgs/{committee.pk}/retire/").status_code == 404
    response = api.post(f"/api/party-orgs/{committee.pk}/retire/")
    assert response.status_code == 200
    assert response.json()["retired"] is True
    response = api.post(f"/api/party-orgs/{committee.pk}/retire/")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["该党组织已撤销"]}
