"""The user list, a user's page, granting and revoking through the pages."""

import pytest

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from tests.factories import make_area, make_user

LIST = "/accounts/users/"


def detail(user) -> str:
    return f"/accounts/users/{user.pk}/"


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {person.username for person in response.context["page"].object_list}


def test_the_list_shows_the_people_of_ones_subtree(cast, client_for):
    assert listed(client_for(cast.street_a).get(LIST)) == {"street_a", "secretary", "worker", "resident"}
    assert listed(client_for(cast.street_b).get(LIST)) == {"street_b"}
    assert listed(client_for(cast.secretary).get(LIST)) == {"secretary", "worker", "resident"}


def test_the_list_needs_accounts_view(cast, client_for, client):
    assert client_for(cast.resident).get(LIST).status_code == 403
    assert client.get(LIST).status_code == 302  # anonymous: to the login page


def test_search_by_name_username_and_phone(cast, client_for):
    cast.resident.full_name = "张三"
    cast.resident.phone = "13800001234"
    cast.resident.save()
    page = client_for(cast.street_a)
    assert listed(page.get(LIST, {"q": "张"})) == {"resident"}
    assert listed(page.get(LIST, {"q": "work"})) == {"worker"}
    # a number is searched by POST (never in a URL); the results page carries a token, the number masked
    # (the whole number: it is found by its keyed hash, being stored encrypted; a part of it finds nothing)
    assert listed(page.post(LIST, {"q": "0001234"}, follow=True)) == set()
    response = page.post(LIST, {"q": "13800001234"}, follow=True)
    assert listed(response) == {"resident"}
    assert "0001234" not in response.redirect_chain[-1][0]
    shown = response.content.decode().replace(
        'value="13800001234"', ""
    )  # the search box echoes what was typed
    assert "138****1234" in shown and "13800001234" not in shown
    unfiltered = listed(page.get(LIST))
    assert listed(page.get(LIST, {"q": "0001234"})) == unfiltered  # a number in a URL is not searched


def test_phones_are_masked_for_non_officials(cast, tree, client_for):
    cast.resident.phone = "13800001234"
    cast.resident.save()
    gridder = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    page = client_for(gridder)
    response = page.get(LIST)
    assert "138****1234" in response.content.decode()
    assert "13800001234" not in response.content.decode()
    assert listed(page.post(LIST, {"q": "0001234"}, follow=True)) == set()  # may not search by number
    assert "138****1234" in page.get(detail(cast.resident)).content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(cast, tree, client_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        user = make_user(f"r{i}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
        RoleGrant.objects.create(user=user, role=Role.MEMBER, area=tree.grid_a)
    page = client_for(cast.street_a)
    page.get(LIST)  # warm what the layout loads once per session
    # session, user, the viewer's grants, count, the page of users with home areas, their visible grants,
    # the names above their areas (path labels), the header's unread badge: 8, for 3 rows or 30
    with django_assert_max_num_queries(8):
        response = page.get(LIST)
    assert response.context["page"].paginator.count == 4 + rows


def test_an_outsider_gets_404_on_a_users_page(cast, client_for):
    assert client_for(cast.street_b).get(detail(cast.resident)).status_code == 404
    assert client_for(cast.secretary).get(detail(cast.street_a)).status_code == 404
    assert client_for(cast.street_a).get("/accounts/users/999999/").status_code == 404


def test_the_users_page_shows_grants_and_a_form_within_ones_rank(cast, tree, client_for):
    response = client_for(cast.secretary).get(detail(cast.resident))
    assert response.status_code == 200
    assert [g.role for g in response.context["grants"]] == [Role.RESIDENT]
    form = response.context["form"]
    roles = {value for value, _label in form.fields["role"].choices if value}
    assert Role.COMMUNITY_SECRETARY in roles
    assert Role.STREET_OFFICIAL not in roles
    areas = set(form.fields["area"].queryset.values_list("name", flat=True))
    assert areas == {"桥楼社区", "第一网格", "一号院落"}


def test_a_worker_sees_the_page_without_a_grant_form(cast, client_for):
    response = client_for(cast.worker).get(detail(cast.resident))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert not any(g.revocable for g in response.context["grants"])


def test_granting_through_the_page(cast, tree, client_for):
    response = client_for(cast.street_a).post(
        f"{detail(cast.resident)}grants/", {"role": Role.COMMUNITY_WORKER, "area": tree.community_a.pk}
    )
    assert response.status_code == 302
    assert response.url == detail(cast.resident)
    assert RoleGrant.objects.filter(
        user=cast.resident, role=Role.COMMUNITY_WORKER, area=tree.community_a, granted_by=cast.street_a
    ).exists()


def test_a_secretary_cannot_grant_a_street_official_through_the_page(cast, tree, client_for):
    response = client_for(cast.secretary).post(
        f"{detail(cast.resident)}grants/", {"role": Role.STREET_OFFICIAL, "area": tree.community_a.pk}
    )
    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    assert not RoleGrant.objects.filter(role=Role.STREET_OFFICIAL, user=cast.resident).exists()


def test_escalation_on_a_particular_area_answers_403_with_the_reason(cast, tree, client_for):
    # street official on 青江街道 and secretary of 育才社区: may grant a street official only in 青江街道
    RoleGrant.objects.create(user=cast.street_a, role=Role.COMMUNITY_SECRETARY, area=tree.community_b)
    newcomer = make_user("newcomer", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    response = client_for(cast.street_a).post(
        f"{detail(newcomer)}grants/", {"role": Role.STREET_OFFICIAL, "area": tree.community_b.pk}
    )
    assert response.status_code == 403
    assert "不能授予高于本人级别的角色“街道干部”。" in response.content.decode()
    assert not RoleGrant.objects.filter(user=newcomer, role=Role.STREET_OFFICIAL).exists()


def test_granting_on_another_street_answers_404(cast, tree, client_for):
    response = client_for(cast.street_a).post(
        f"{detail(cast.resident)}grants/", {"role": Role.GRID_WORKER, "area": tree.community_b.pk}
    )
    assert response.status_code == 404
    assert not RoleGrant.objects.filter(role=Role.GRID_WORKER).exists()


def test_granting_to_a_user_outside_the_scope_answers_404(cast, tree, client_for):
    response = client_for(cast.street_b).post(
        f"{detail(cast.resident)}grants/", {"role": Role.GRID_WORKER, "area": tree.community_b.pk}
    )
    assert response.status_code == 404


def test_a_worker_cannot_post_a_grant(cast, tree, client_for):
    response = client_for(cast.worker).post(
        f"{detail(cast.resident)}grants/", {"role": Role.MEMBER, "area": tree.grid_a.pk}
    )
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(role=Role.MEMBER).exists()


def test_revoking_through_the_page(cast, client_for):
    grant = cast.worker.grants.get()
    page = client_for(cast.secretary)
    assert page.get(detail(cast.worker)).context["grants"][0].revocable
    response = page.post(f"/accounts/grants/{grant.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoking_above_ones_rank_is_403_and_outside_the_scope_404(cast, tree, client_for):
    high = RoleGrant.objects.create(user=cast.resident, role=Role.STREET_OFFICIAL, area=tree.community_a)
    secretary = client_for(cast.secretary)
    grants = {g.pk: g for g in secretary.get(detail(cast.resident)).context["grants"]}
    assert not grants[high.pk].revocable
    assert secretary.post(f"/accounts/grants/{high.pk}/revoke/").status_code == 403
    assert client_for(cast.street_b).post(f"/accounts/grants/{high.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(pk=high.pk).exists()
    assert secretary.get(f"/accounts/grants/{high.pk}/revoke/").status_code == 405


def test_area_options_for_the_grant_form(cast, tree, client_for):
    response = client_for(cast.street_a).get("/accounts/grants/area-options/", {"q": "社区"})
    assert [label for _pk, label in response.context["options"]] == ["雨城区 › 青江街道 › 桥楼社区 · 社区"]
    response = client_for(cast.street_a).get("/accounts/grants/area-options/", {"q": "育才"})
    assert response.context["options"] == []


def test_officials_must_pass_two_factor_first(cast, client_for, settings):
    settings.REQUIRE_OFFICIAL_2FA = True
    response = client_for(cast.street_a).get(LIST)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")


def test_areas_of_the_same_name_are_told_apart_by_their_path_in_the_search_and_the_grant(
    cast, tree, client_for
):
    other = make_area("第一网格", Level.GRID, make_area("金凤社区", Level.COMMUNITY, tree.street_a))
    city = client_for(cast.city)
    response = city.get("/accounts/grants/area-options/", {"q": "第一网格"})
    assert {label for _pk, label in response.context["options"]} == {
        "青江街道 › 桥楼社区 › 第一网格 · 网格",
        "青江街道 › 金凤社区 › 第一网格 · 网格",
    }
    assert "青江街道 › 金凤社区 › 第一网格 · 网格</option>" in response.content.decode()
    response = city.post(f"{detail(cast.resident)}grants/", {"role": Role.GRID_WORKER, "area": other.pk})
    assert response.status_code == 302
    page = city.get(detail(cast.resident)).content.decode()
    assert "青江街道 › 金凤社区 › 第一网格" in page
    assert "青江街道 › 金凤社区 › 第一网格" in city.get(LIST, {"q": cast.resident.username}).content.decode()
    # the area tree's search too
    assert "青江街道 › 金凤社区 › 第一网格" in city.get("/areas/", {"q": "第一网格"}).content.decode()
