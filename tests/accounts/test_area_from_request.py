"""The one "area from the request" loader (access/scoping.py `area_from_request`): `?area=` inside the
user's scope, else 404 — on every page and API filter that takes an area; without it, the user's working area
(or the whole scope)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from grassroots.access.scoping import area_from_request, working_area


def ask(user, data=None, method="get"):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = user
    return request


def test_the_loader(cast, tree):
    street_a = cast.street_a
    assert area_from_request(ask(street_a), "duties.view") is None  # the whole scope
    assert area_from_request(ask(street_a), "duties.view", required=True) == tree.street_a
    assert area_from_request(ask(street_a, {"area": tree.grid_a.pk}), "duties.view") == tree.grid_a
    assert area_from_request(ask(street_a, {"area": tree.grid_a.pk}, "post"), "duties.view") == tree.grid_a
    for outside in (tree.street_b.pk, tree.city.pk, 999999, "abc", "1.5"):
        with pytest.raises(Http404):
            area_from_request(ask(street_a, {"area": outside}), "duties.view")
    # The outsider: street A's areas are missing areas to street B, whatever the call.
    with pytest.raises(Http404):
        area_from_request(ask(cast.street_b, {"area": tree.community_a.pk}), "duties.view", required=True)
    # Nobody to work for: 403, as any page the user holds no permission for.
    with pytest.raises(PermissionDenied):
        area_from_request(ask(cast.resident), "duties.view", required=True)
    assert area_from_request(ask(cast.resident), "duties.view") is None


def test_the_working_area_is_the_one_picked_in_the_header(cast, tree, django_assert_num_queries):
    city = cast.city
    city.grants_cached()
    with django_assert_num_queries(0):  # the area of a grant: cached with the grants
        assert working_area(city, "duties.view") == tree.city
    city.active_area_path = tree.street_b.path
    with django_assert_num_queries(1):  # the picked area itself
        assert working_area(city, "duties.view") == tree.street_b
    assert area_from_request(ask(city), "duties.view", required=True) == tree.street_b
    # Picked in the header, the scope is that area: the rest of the city is outside.
    with pytest.raises(Http404):
        area_from_request(ask(city, {"area": tree.street_a.pk}), "duties.view")
    assert working_area(cast.resident, "duties.view") is None


PAGES = [
    reverse("duties:task_list"),
    reverse("duties:progress"),
    reverse("coverage:overview"),
    reverse("orglife:compliance"),
    reverse("admission:communities"),
    reverse("areas:export"),
    "/assessments/reports/",
    reverse("members:care"),
    reverse("members:find"),
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_404_for_an_area_outside_the_scope(url, cast, tree, client_for):
    assert client_for(cast.street_b).get(url, {"area": tree.street_a.pk}).status_code == 404
    assert client_for(cast.street_b).get(url, {"area": "x"}).status_code == 404
    assert client_for(cast.street_a).get(url, {"area": tree.street_a.pk}).status_code == 200


API = [
    ("/api/areas/", "under"),
    ("/api/areas/", "parent"),
    ("/api/users/", "area"),
    ("/api/grants/", "area"),
    ("/api/duty-assignments/", "area"),
    ("/api/findings/", "area"),
]


@pytest.mark.parametrize(("url", "param"), API)
def test_api_filters_answer_404_for_an_area_outside_the_scope(url, param, cast, tree, api_for):
    assert api_for(cast.street_b).get(url, {param: tree.street_a.pk}).status_code == 404
    assert api_for(cast.street_a).get(url, {param: tree.street_a.pk}).status_code == 200
