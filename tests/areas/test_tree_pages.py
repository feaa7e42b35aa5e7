"""The tree page, its htmx children fragment and the area page: what each user sees, and query counts that
do not grow with the number of rows."""

import re

import pytest
from django.urls import reverse

from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Area
from tests.factories import Level, make_area, make_party_org, make_user


def child_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="gr-tree-node[^"]*" id="area-(\d+)"', html)]


def test_tree_opens_on_the_users_scope_roots(cast, tree, client_for):
    response = client_for(cast.city).get(reverse("areas:tree"))
    assert response.status_code == 200
    html = response.content.decode()
    # the city is the one root, opened straight away with its child (the county) inline
    assert child_ids(html)[:2] == [tree.city.pk, tree.county.pk]
    assert f'hx-get="{reverse("areas:children", args=[tree.county.pk])}"' in html

    html = client_for(cast.street_a).get(reverse("areas:tree")).content.decode()
    assert child_ids(html) == [tree.street_a.pk, tree.community_a.pk]
    assert "东城街道" not in html and "雨城区" not in html


def test_tree_search_stays_in_scope(cast, tree, client_for):
    html = client_for(cast.street_b).get(reverse("areas:tree"), {"q": "社区"}).content.decode()
    assert "育才社区" in html and "桥楼社区" not in html
    html = client_for(cast.street_b).get(reverse("areas:tree"), {"q": "511802001"}).content.decode()
    assert "桥楼社区" not in html


def test_children_fragment_lists_name_level_code_and_numchild(cast, tree, client_for):
    response = client_for(cast.city).get(reverse("areas:children", args=[tree.county.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")  # a fragment, not a page
    assert child_ids(html) == [tree.street_a.pk, tree.street_b.pk]
    assert "青江街道" in html and "511802001" in html and "街道（乡镇）" in html
    assert f'id="area-{tree.street_a.pk}" data-numchild="1"' in html
    assert f'hx-get="{reverse("areas:children", args=[tree.street_a.pk])}"' in html


def test_children_of_an_area_outside_the_scope_is_404(cast, tree, client_for):
    client = client_for(cast.street_b)
    assert client.get(reverse("areas:children", args=[tree.community_a.pk])).status_code == 404
    assert client.get(reverse("areas:children", args=[tree.county.pk])).status_code == 404
    assert client.get(reverse("areas:children", args=[tree.community_b.pk])).status_code == 200


@pytest.mark.parametrize("n", [3, 40])
def test_children_fragment_query_count_does_not_grow(
    cast, tree, client_for, many_children, django_assert_max_num_queries, n
):
    many_children(n)
    client = client_for(cast.city)
    # session, user, grants (with their areas), the area, its children
    with django_assert_max_num_queries(5):
        response = client.get(reverse("areas:children", args=[tree.grid_a.pk]))
    assert response.status_code == 200
    assert len(child_ids(response.content.decode())) == n + 1  # 一号院落 and the new ones


def test_a_node_with_very_many_children_loads_them_in_slices(cast, tree, client_for, many_children):
    from grassroots.areas.views.tree import CHILDREN_PAGE

    many_children(CHILDREN_PAGE + 5)
    client = client_for(cast.city)
    first = client.get(reverse("areas:children", args=[tree.grid_a.pk])).content.decode()
    assert len(child_ids(first)) == CHILDREN_PAGE
    assert f"?offset={CHILDREN_PAGE}" in first
    rest = client.get(
        reverse("areas:children", args=[tree.grid_a.pk]), {"offset": CHILDREN_PAGE}
    ).content.decode()
    assert len(child_ids(rest)) == 6 and "?offset=" not in rest


def test_area_page_shows_breadcrumbs_children_orgs_people_and_counts(cast, tree, client_for):
    make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    make_area("1栋", Level.BUILDING, tree.courtyard_a)
    response = client_for(cast.street_a).get(reverse("areas:detail", args=[tree.community_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # breadcrumbs: city and county are above street_a's scope: shown, not linked
    assert "雅安市" in html and reverse("areas:detail", args=[tree.city.pk]) not in html
    assert reverse("areas:detail", args=[tree.street_a.pk]) in html
    assert child_ids(html) == [tree.grid_a.pk]
    assert "桥楼社区党委" in html
    # people: the secretary and the worker hold roles here; the resident lives below
    for name in ("secretary", "worker", "resident"):
        assert f">{name}<" in html
    assert "street_a" not in html.split('id="people"')[1]
    counts = html.split('id="level-counts"')[1].split("</ul>")[0]
    assert re.search(r"网格</span><span[^>]*>1<", counts)
    assert re.search(r"院落</span><span[^>]*>1<", counts)
    assert re.search(r"楼栋</span><span[^>]*>1<", counts)


def test_area_page_scope(cast, tree, client_for):
    url = reverse("areas:detail", args=[tree.community_a.pk])
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.secretary).get(url).status_code == 200
    # a resident sees the courtyard they live in, but no people and no edit buttons
    html = client_for(cast.resident).get(reverse("areas:detail", args=[tree.courtyard_a.pk])).content.decode()
    assert 'id="people"' not in html and reverse("areas:edit", args=[tree.courtyard_a.pk]) not in html
    assert client_for(cast.resident).get(url).status_code == 404


@pytest.mark.parametrize("n", [3, 40])
def test_area_page_query_count_does_not_grow(
    cast, tree, client_for, many_children, django_assert_max_num_queries, n
):
    courtyards = many_children(n)
    for i, courtyard in enumerate(courtyards):
        make_user(f"r{i}", "resident", courtyard, home_area=courtyard)
        make_party_org(f"第{i}党支部", tree.grid_a)
    RoleGrant.objects.create(user=cast.resident, role="member", area=tree.grid_a)
    client = client_for(cast.street_a)
    # session, user, grants, area, breadcrumbs, children, level counts, orgs, people count, people page,
    # their grants here; and the shell's unread-notification count
    with django_assert_max_num_queries(12):
        response = client.get(reverse("areas:detail", args=[tree.grid_a.pk]))
    assert response.status_code == 200
    assert len(child_ids(response.content.decode())) == n + 1


def test_tree_page_query_count_does_not_grow(
    cast, tree, client_for, many_children, django_assert_max_num_queries
):
    many_children(40, parent=tree.city)
    client = client_for(cast.city)
    # session, user, grants, roots, the root's children; and the shell's unread-notification count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("areas:tree"))
    assert len(child_ids(response.content.decode())) == 1 + 41  # the city, the county and 40 courtyards


def test_anonymous_users_are_sent_to_login(tree, client):
    response = client.get(reverse("areas:tree"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("areas:children", args=[tree.city.pk])).status_code == 302


def test_retired_children_are_marked(cast, tree, client_for):
    Area.objects.filter(pk=tree.courtyard_a.pk).update(retired=True)
    html = client_for(cast.secretary).get(reverse("areas:children", args=[tree.grid_a.pk])).content.decode()
    assert "gr-tree-retired" in html and "已撤销" in html
