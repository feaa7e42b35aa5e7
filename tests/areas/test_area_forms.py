"""Create, edit, move and retire through the pages: the owner may, the outsider gets 404, a user who sees
the area but may not change it gets 403."""

import pytest
from django.urls import reverse

from grassroots.areas.models import Area, Level
from tests.factories import make_area


def fresh(area):
    return Area.objects.get(pk=area.pk)


@pytest.mark.parametrize("name", ["create", "edit", "move", "retire"])
def test_outsiders_get_404_and_readers_403(cast, tree, client_for, name):
    url = reverse(f"areas:{name}", args=[tree.grid_a.pk])
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.street_b).post(url, {"name": "x"}).status_code == 404
    assert (
        client_for(cast.resident).get(reverse(f"areas:{name}", args=[tree.courtyard_a.pk])).status_code == 403
    )
    assert client_for(cast.auditor).get(url).status_code == 403
    assert client_for(cast.worker).get(url).status_code == 403
    assert client_for(cast.street_a).get(url).status_code == 200


def test_create_a_child_through_the_page(cast, tree, client_for):
    client = client_for(cast.secretary)
    url = reverse("areas:create", args=[tree.grid_a.pk])
    page = client.get(url).content.decode()
    # only levels below the grid are offered
    assert 'value="6"' in page and 'value="5"' not in page and 'value="4"' not in page
    response = client.post(url, {"name": "二号院落", "level": Level.COURTYARD, "code": ""})
    area = Area.objects.get(name="二号院落")
    assert response.status_code == 302 and response["Location"] == reverse("areas:detail", args=[area.pk])
    assert area.path.startswith(tree.grid_a.path) and area.code is None


def test_create_reports_errors_on_their_fields(cast, tree, client_for):
    client = client_for(cast.street_a)
    url = reverse("areas:create", args=[tree.street_a.pk])
    response = client.post(url, {"name": "重复代码社区", "level": Level.COMMUNITY, "code": "511802002001"})
    assert response.status_code == 200
    assert "已被其他区域使用" in response.content.decode()
    response = client.post(url, {"name": "错层", "level": Level.COUNTY, "code": ""})
    assert response.status_code == 200  # a county is not offered under a street
    assert not Area.objects.filter(name__in=["重复代码社区", "错层"]).exists()


def test_edit_through_the_page(cast, tree, client_for):
    response = client_for(cast.secretary).post(
        reverse("areas:edit", args=[tree.grid_a.pk]), {"name": "一网格", "code": "511802001501"}
    )
    assert response.status_code == 302
    assert (fresh(tree.grid_a).name, fresh(tree.grid_a).code) == ("一网格", "511802001501")


def test_move_through_the_page(cast, tree, client_for):
    community = make_area("新社区", Level.COMMUNITY, tree.street_a)
    client = client_for(cast.street_a)
    url = reverse("areas:move", args=[tree.grid_a.pk])
    page = client.get(url).content.decode()
    assert f'value="{community.pk}"' in page  # a candidate
    assert f'value="{tree.community_b.pk}"' not in page  # outside street_a's scope
    assert f'value="{tree.courtyard_a.pk}"' not in page  # its own subtree, and a lower level
    fragment = client.get(
        reverse("areas:move_candidates", args=[tree.grid_a.pk]), {"q": "新社"}
    ).content.decode()
    assert f'value="{community.pk}"' in fragment and f'value="{tree.street_a.pk}"' not in fragment

    # posting a parent outside the scope is refused as an invalid choice, nothing moves
    response = client.post(url, {"new_parent": tree.community_b.pk})
    assert response.status_code == 200 and fresh(tree.grid_a).path.startswith(tree.community_a.path)
    response = client.post(url, {"new_parent": community.pk})
    assert response.status_code == 302
    assert fresh(tree.grid_a).path.startswith(community.path)
    assert fresh(tree.courtyard_a).path.startswith(fresh(tree.grid_a).path)


def test_street_b_cannot_move_street_as_areas(cast, tree, client_for):
    response = client_for(cast.street_b).post(
        reverse("areas:move", args=[tree.community_a.pk]), {"new_parent": tree.street_b.pk}
    )
    assert response.status_code == 404
    assert fresh(tree.community_a).path.startswith(tree.street_a.path)


def test_the_owner_of_a_scope_cannot_move_or_retire_its_root(cast, tree, client_for):
    client = client_for(cast.street_a)
    assert client.get(reverse("areas:move", args=[tree.street_a.pk])).status_code == 403
    assert client.post(reverse("areas:retire", args=[tree.street_a.pk]), {"cascade": "on"}).status_code == 403
    assert not fresh(tree.street_a).retired


def test_retire_through_the_page_asks_for_the_subtree(cast, tree, client_for):
    client = client_for(cast.street_a)
    url = reverse("areas:retire", args=[tree.community_a.pk])
    page = client.get(url).content.decode()
    assert "2 个未撤销的下级区域" in page and 'name="cascade"' in page
    response = client.post(url, {})
    assert response.status_code == 200 and "同时撤销整个下级区域树" in response.content.decode()
    assert not fresh(tree.community_a).retired
    response = client.post(url, {"cascade": "on"})
    assert response.status_code == 302
    assert set(Area.objects.filter(retired=True).values_list("name", flat=True)) == {
        "桥楼社区",
        "第一网格",
        "一号院落",
    }
