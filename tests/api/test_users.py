"""/api/users/: users with a grant or a home area in the viewer's "accounts.view" scope."""

import pytest

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from tests.factories import make_user


def usernames(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["username"] for row in response.json()["results"]}


def test_each_official_lists_the_people_of_their_subtree(cast, api_for):
    assert usernames(api_for(cast.street_a).get("/api/users/")) == {
        "street_a",
        "secretary",
        "worker",
        "resident",
    }
    assert usernames(api_for(cast.street_b).get("/api/users/")) == {"street_b"}


def test_a_home_area_alone_puts_a_user_in_scope(cast, tree, api_for):
    make_user("newcomer", home_area=tree.courtyard_a)
    assert "newcomer" in usernames(api_for(cast.secretary).get("/api/users/"))
    assert "newcomer" not in usernames(api_for(cast.street_b).get("/api/users/"))


def test_outside_the_scope_answers_404(cast, api_for):
    assert api_for(cast.street_b).get(f"/api/users/{cast.resident.pk}/").status_code == 404
    assert api_for(cast.street_a).get(f"/api/users/{cast.resident.pk}/").status_code == 200
    assert api_for(cast.street_a).get(f"/api/users/{cast.city.pk}/").status_code == 404


def test_residents_and_people_without_accounts_view_see_nobody(cast, api_for):
    assert usernames(api_for(cast.resident).get("/api/users/")) == set()


def test_the_api_is_read_only(cast, api_for):
    api = api_for(cast.admin)
    assert api.patch(f"/api/users/{cast.resident.pk}/", {"full_name": "x"}).status_code == 405
    assert api.delete(f"/api/users/{cast.resident.pk}/").status_code == 405
    assert api.post("/api/users/", {"username": "x"}).status_code == 405


def test_no_password_and_the_phone_masked_unless_asked_with_the_right(cast, tree, api_for):
    cast.resident.phone = "13800001234"
    cast.resident.save()
    grid_worker = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    row = api_for(cast.street_a).get(f"/api/users/{cast.resident.pk}/").json()
    assert "password" not in row
    assert (row["phone"], row["unmasked"]) == ("138****1234", False)  # one masking rule (accounts/pii.py)
    assert row["home_area"] == tree.courtyard_a.pk
    assert row["home_area_name"] == "一号院落"
    full = api_for(cast.street_a).get(f"/api/users/{cast.resident.pk}/", {"unmasked": "true"}).json()
    assert (full["phone"], full["unmasked"]) == ("13800001234", True)
    row = api_for(grid_worker).get(f"/api/users/{cast.resident.pk}/", {"unmasked": "true"}).json()
    assert (row["phone"], row["unmasked"]) == ("138****1234", False)


def test_grants_outside_the_scope_stay_hidden(cast, tree, api_for):
    RoleGrant.objects.create(user=cast.resident, role=Role.MEDIATOR, area=tree.community_b)
    seen_by_a = api_for(cast.street_a).get(f"/api/users/{cast.resident.pk}/").json()["grants"]
    assert [(g["role"], g["area_name"]) for g in seen_by_a] == [("resident", "一号院落")]
    seen_by_b = api_for(cast.street_b).get(f"/api/users/{cast.resident.pk}/").json()["grants"]
    assert [(g["role"], g["role_label"], g["area_name"]) for g in seen_by_b] == [
        ("mediator", "调解员", "育才社区")
    ]


def test_search_and_filters(cast, tree, api_for):
    cast.resident.phone = "13800001234"
    cast.resident.full_name = "张三"
    cast.resident.save()
    api = api_for(cast.street_a)
    assert usernames(api.get("/api/users/", {"q": "张"})) == {"resident"}
    # by the whole number only (its keyed hash: the number is stored encrypted), spaces and dashes allowed
    assert usernames(api.post("/api/users/search/", {"q": "138 0000-1234"}, format="json")) == {"resident"}
    assert usernames(api.post("/api/users/search/", {"q": "0001234"}, format="json")) == set()
    assert usernames(api.get("/api/users/", {"q": "secre"})) == {"secretary"}
    assert usernames(api.get("/api/users/", {"role": "community_worker"})) == {"worker"}
    assert usernames(api.get("/api/users/", {"area": tree.grid_a.pk})) == {"resident"}
    # Another street's area is outside street_a's scope: 404, as on the pages (scoping.area_from_request).
    assert api.get("/api/users/", {"area": tree.community_b.pk}).status_code == 404


def test_phone_search_is_for_officials_only(cast, tree, api_for):
    cast.resident.phone = "13800001234"
    cast.resident.save()
    grid_worker = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    found = api_for(grid_worker).post("/api/users/search/", {"q": "13800001234"}, format="json")
    assert usernames(found) == set()


def test_a_number_never_travels_in_the_url(cast, api_for):
    cast.resident.phone = "13800001234"
    cast.resident.save()
    api = api_for(cast.street_a)
    refused = api.get("/api/users/", {"q": "13800001234"})
    assert refused.status_code == 400
    body = refused.json()
    assert "POST /api/users/search/" in body["errors"]["q"][0] and "访问日志" in body["detail"]
    # by POST, with the other filters (and the page) in the query string, as the list answers
    found = api.post("/api/users/search/?role=resident&page_size=10", {"q": "13800001234"}, format="json")
    assert found.status_code == 200 and usernames(found) == {"resident"}
    assert api.post("/api/users/search/", {}, format="json").status_code == 400  # a search needs its q
    assert api.get("/api/areas/", {"q": "5118021"}).status_code == 400  # no list takes a number in its URL


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(cast, tree, api_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_user(f"r{i}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    api = api_for(cast.street_a)
    # token + user, viewer's grants, count, the page, the page's home areas (by id, not joined: session
    # 13 in docs/performance.md), the visible grants of the page, the names above their areas (path
    # labels): 7, for 3 rows or 30
    with django_assert_max_num_queries(7):
        response = api.get("/api/users/", {"page_size": 100})
    assert response.json()["count"] == 4 + rows
