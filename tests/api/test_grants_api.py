"""/api/grants/: list scoped; POST grants through grant_role (escalation refused with the Chinese message);
DELETE revokes through revoke_grant."""

import pytest

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from tests.factories import make_area, make_user

URL = "/api/grants/"


def grant_payload(user, role, area):
    return {"user": user.pk, "role": role, "area": area.pk}


def test_list_is_scoped(cast, tree, api_for):
    rows = api_for(cast.street_b).get(URL).json()["results"]
    assert [(r["user_name"], r["role"], r["area_name"]) for r in rows] == [
        ("street_b", "street_official", "东城街道")
    ]
    seen_by_a = {(r["user_name"], r["role"]) for r in api_for(cast.street_a).get(URL).json()["results"]}
    assert seen_by_a == {
        ("street_a", "street_official"),
        ("secretary", "community_secretary"),
        ("worker", "community_worker"),
        ("resident", "resident"),
    }


def test_retrieve_outside_the_scope_is_404(cast, api_for):
    grant = cast.secretary.grants.get()
    assert api_for(cast.street_b).get(f"{URL}{grant.pk}/").status_code == 404
    assert api_for(cast.street_b).delete(f"{URL}{grant.pk}/").status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_filters(cast, tree, api_for):
    api = api_for(cast.city)
    rows = api.get(URL, {"area": tree.community_a.pk}).json()["results"]
    assert {r["user_name"] for r in rows} == {"secretary", "worker", "resident"}
    rows = api.get(URL, {"role": "community_worker"}).json()["results"]
    assert [r["user_name"] for r in rows] == ["worker"]
    rows = api.get(URL, {"user": cast.street_b.pk}).json()["results"]
    assert [r["area_name"] for r in rows] == ["东城街道"]
    assert api_for(cast.street_b).get(URL, {"user": cast.street_a.pk}).json()["results"] == []


def test_a_street_official_grants_a_community_worker_in_their_street(cast, tree, api_for):
    response = api_for(cast.street_a).post(
        URL, grant_payload(cast.resident, Role.COMMUNITY_WORKER, tree.community_a), format="json"
    )
    assert response.status_code == 201, response.content
    grant = RoleGrant.objects.get(pk=response.json()["id"])
    assert (grant.user, grant.role, grant.area, grant.granted_by) == (
        cast.resident,
        Role.COMMUNITY_WORKER,
        tree.community_a,
        cast.street_a,
    )
    assert response.json()["role_label"] == "社区工作者"
    assert response.json()["granted_by"] == cast.street_a.pk


def test_a_community_secretary_cannot_grant_a_street_official(cast, tree, api_for):
    response = api_for(cast.secretary).post(
        URL, grant_payload(cast.resident, Role.STREET_OFFICIAL, tree.community_a), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "不能授予高于本人级别的角色“街道干部”。"
    assert not RoleGrant.objects.filter(user=cast.resident, role=Role.STREET_OFFICIAL).exists()


def test_nobody_grants_themselves_more(cast, tree, api_for):
    response = api_for(cast.secretary).post(
        URL, grant_payload(cast.secretary, Role.STREET_OFFICIAL, tree.community_a), format="json"
    )
    assert response.status_code == 403
    assert "不能给自己授予" in response.json()["detail"]


def test_a_street_official_cannot_grant_on_another_street(cast, tree, api_for):
    outsider = make_user("b_resident", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    api = api_for(cast.street_a)
    # Neither the area nor the person of street B exists for street A: answered like missing ids.
    response = api.post(URL, grant_payload(cast.resident, Role.GRID_WORKER, tree.community_b), format="json")
    assert response.status_code == 400
    assert "area" in response.json()["errors"]
    response = api.post(URL, grant_payload(outsider, Role.GRID_WORKER, tree.community_a), format="json")
    assert response.status_code == 400
    assert "user" in response.json()["errors"]
    missing = api.post(URL, {"user": 999999, "role": "grid_worker", "area": 999999}, format="json").json()
    assert set(missing["errors"]) == {"user", "area"}
    assert not RoleGrant.objects.filter(role=Role.GRID_WORKER).exists()


def test_seeing_an_area_is_not_enough_to_grant_there(cast, tree, api_for):
    # the worker sees community A's people (accounts.view) but may not grant (no accounts.grant): 403
    response = api_for(cast.worker).post(
        URL, grant_payload(cast.resident, Role.GRID_WORKER, tree.grid_a), format="json"
    )
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(role=Role.GRID_WORKER).exists()


def test_a_duplicate_grant_is_a_400_on_the_role(cast, tree, api_for):
    response = api_for(cast.street_a).post(
        URL, grant_payload(cast.worker, Role.COMMUNITY_WORKER, tree.community_a), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"role": ["该用户在此区域已拥有这个角色。"]}


def test_a_retired_area_takes_no_grant(cast, tree, api_for):
    tree.grid_a.retired = True
    tree.grid_a.save()
    response = api_for(cast.street_a).post(
        URL, grant_payload(cast.resident, Role.GRID_WORKER, tree.grid_a), format="json"
    )
    assert response.status_code == 400
    assert "area" in response.json()["errors"]


def test_delete_revokes_within_rank(cast, tree, api_for):
    worker_grant = cast.worker.grants.get()
    assert api_for(cast.secretary).delete(f"{URL}{worker_grant.pk}/").status_code == 204
    assert not RoleGrant.objects.filter(pk=worker_grant.pk).exists()


def test_nobody_revokes_a_grant_ranked_above_theirs(cast, tree, api_for):
    high = RoleGrant.objects.create(user=cast.resident, role=Role.STREET_OFFICIAL, area=tree.community_a)
    response = api_for(cast.secretary).delete(f"{URL}{high.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == "不能撤销高于本人级别的角色“街道干部”。"
    assert RoleGrant.objects.filter(pk=high.pk).exists()
    assert api_for(cast.street_a).delete(f"{URL}{high.pk}/").status_code == 204


def test_a_worker_may_not_revoke(cast, tree, api_for):
    resident_grant = cast.resident.grants.get()
    assert api_for(cast.worker).delete(f"{URL}{resident_grant.pk}/").status_code == 403
    assert RoleGrant.objects.filter(pk=resident_grant.pk).exists()


def test_grants_cannot_be_edited(cast, api_for):
    grant = cast.worker.grants.get()
    response = api_for(cast.admin).patch(f"{URL}{grant.pk}/", {"role": "system_admin"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(cast, tree, api_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_user(f"g{i}", Role.GRID_WORKER, tree.grid_a)
    api = api_for(cast.street_a)
    # token + user, grants, count, the page with users and areas joined, the names above the areas (path
    # labels): 5, for 3 rows or 30
    with django_assert_max_num_queries(5):
        response = api.get(URL, {"page_size": 100})
    assert response.json()["count"] == 4 + rows
    assert {r["area_path_label"] for r in response.json()["results"] if r["role"] == "grid_worker"} == {
        "青江街道 › 桥楼社区 › 第一网格"
    }


def test_areas_of_the_same_name_are_told_apart_by_their_path(cast, tree, api_for):
    other = make_area("第一网格", Level.GRID, make_area("金凤社区", Level.COMMUNITY, tree.street_a))
    make_user("g1", Role.GRID_WORKER, tree.grid_a)
    api = api_for(cast.street_a)
    created = api.post(URL, grant_payload(cast.resident, Role.GRID_WORKER, other), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["area_path_label"] == "青江街道 › 金凤社区 › 第一网格"
    rows = api.get(URL, {"role": "grid_worker"}).json()["results"]
    assert sorted(r["area_path_label"] for r in rows) == [
        "青江街道 › 桥楼社区 › 第一网格",
        "青江街道 › 金凤社区 › 第一网格",
    ]
    assert {r["area_name"] for r in rows} == {"第一网格"}
    one = api.get(f"{URL}{created.json()['id']}/").json()
    assert one["area_path_label"] == "青江街道 › 金凤社区 › 第一网格"
    # the users' grants say the same
    user = api.get(f"/api/users/{cast.resident.pk}/").json()
    assert "青江街道 › 金凤社区 › 第一网格" in {g["area_path_label"] for g in user["grants"]}
    listed = api.get("/api/users/", {"role": "grid_worker"}).json()["results"]
    assert {g["area_path_label"] for u in listed for g in u["grants"] if g["role"] == "grid_worker"} == {
        "青江街道 › 桥楼社区 › 第一网格",
        "青江街道 › 金凤社区 › 第一网格",
    }
