"""The area switcher: a user with grants on several areas picks the one they work in; the scoping function
then narrows every page to it. Only the user's own grant areas can be picked."""

import pytest
from django.urls import reverse

from grassroots.accounts.middleware import SESSION_AREA_KEY
from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from tests.factories import make_user
from tests.homes import open_home

SWITCH = reverse("portal:switch_area")


@pytest.fixture
def roving(tree):
    """A community worker serving both communities A1 and B1."""
    user = make_user("roving", Role.COMMUNITY_WORKER, tree.community_a)
    RoleGrant.objects.create(user=user, role=Role.COMMUNITY_WORKER, area=tree.community_b)
    return user


def notice_titles(client) -> set[str]:
    return {n.title for n in client.get(reverse("portal:notice_list")).context["page_obj"]}


def test_switcher_lists_the_grant_areas_and_all(client_for, roving, tree):
    html = open_home(client_for(roving)).content.decode()

    assert 'action="/switch-area/"' in html
    assert f'name="area" value="{tree.community_a.pk}"' in html
    assert f'name="area" value="{tree.community_b.pk}"' in html
    assert 'name="area" value=""' in html  # 全部


def test_switcher_is_not_shown_with_a_single_grant_area(client_for, cast):
    assert 'action="/switch-area/"' not in open_home(client_for(cast.street_a)).content.decode()


def figure_areas(response) -> list:
    """The areas whose key figures the home shows (portal/blocks.py, `figures`)."""
    data = next(b.data for b in response.blocks if b.name == "figures")
    return [figures.area for figures in data["areas"]]


def test_switching_narrows_the_pages_and_all_widens_them_again(client_for, roving, tree, notices):
    client = client_for(roving)
    everything = {
        "全市防汛通知",
        "青江街道文明创建",
        "桥楼社区停水通知",
        "第一网格楼道清理",
        "第二网格议事会",
    }
    assert notice_titles(client) >= everything | {"育才社区体检安排"}
    assert figure_areas(open_home(client)) == [tree.community_a, tree.community_b]

    response = client.post(SWITCH, {"area": tree.community_b.pk, "next": "/notices/"})

    assert response.status_code == 302
    assert response["Location"] == "/notices/"
    assert client.session[SESSION_AREA_KEY] == tree.community_b.path
    assert notice_titles(client) == {"全市防汛通知", "育才社区体检安排"}
    home = open_home(client)
    assert figure_areas(home) == [tree.community_b]
    assert "育才社区" in home.content.decode()

    client.post(SWITCH, {"area": ""})

    assert SESSION_AREA_KEY not in client.session
    assert notice_titles(client) >= everything | {"育才社区体检安排"}


def test_an_area_that_is_not_a_grant_area_answers_404(client_for, roving, tree, cast):
    client = client_for(roving)
    for area in (tree.street_b, tree.city, tree.grid_a):  # above, far above, and below the grants
        assert client.post(SWITCH, {"area": area.pk}).status_code == 404
    assert client.post(SWITCH, {"area": "not-a-number"}).status_code == 404
    assert SESSION_AREA_KEY not in client.session


def test_a_foreign_area_answers_404(client_for, cast, tree):
    assert client_for(cast.street_a).post(SWITCH, {"area": tree.street_b.pk}).status_code == 404


def test_switching_needs_post_and_login(client, client_for, roving, tree):
    assert client_for(roving).get(SWITCH).status_code == 405
    response = client.post(SWITCH, {"area": tree.community_a.pk})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_redirect_back_stays_on_this_site(client_for, roving, tree):
    response = client_for(roving).post(SWITCH, {"area": tree.community_a.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"
