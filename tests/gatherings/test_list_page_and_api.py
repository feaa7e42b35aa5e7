"""The gathering list's one FilterSet (`GatheringFilter`) on its page and in `/api/gatherings/`: the page
offers every filter the API takes, laid out through templates/forms/field.html, and lists the same
gatherings for the same parameters; a bad value stands at its field on the page and is a 400 in the API."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def gatherings(cast, tree, make_gathering):
    make_gathering(title="听证会甲", kind="hearing")
    make_gathering(title="讲座乙", kind="lecture", area=tree.grid_a, starts_in=timedelta(days=10))
    make_gathering(title="往期活动", kind="activity", starts_in=timedelta(days=-3))
    make_gathering(title="两委会", visibility="invited", starts_in=timedelta(days=5))
    make_gathering(title="育才社区活动", area=tree.community_b, actor=cast.street_b)


QUERIES = [
    "",
    "kind=hearing",
    "status=planned",
    "status=cancelled",
    "when=upcoming",
    "when=past",
    "area={grid_a}",
    "area={community_b}",
    "starts_after={in_a_week}",
    "starts_before={tomorrow}",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", ["resident", "street_a", "city"])
def test_the_page_and_the_api_list_alike(gatherings, cast, tree, client_for, api_for, who, query):
    today = timezone.localdate()
    query = query.format(
        grid_a=tree.grid_a.pk,
        community_b=tree.community_b.pk,
        in_a_week=today + timedelta(days=7),
        tomorrow=today + timedelta(days=1),
    )
    user = getattr(cast, who)
    api = api_for(user).get(f"/api/gatherings/?{query}")
    page = client_for(user).get(f"/gatherings/?{query}")
    assert api.status_code == page.status_code == 200, api.content
    listed = [gathering.title for gathering in page.context["page_obj"]]
    assert listed == [row["title"] for row in api.json()["results"]]


def test_the_page_offers_every_filter_of_the_api_at_its_field(gatherings, cast, tree, client_for):
    html = client_for(cast.street_a).get("/gatherings/").content.decode()
    for name in ("when", "kind", "status", "area", "starts_after", "starts_before"):
        assert f'for="id_{name}"' in html and f'name="{name}"' in html, name
    assert f'<option value="{tree.community_a.pk}">桥楼社区（社区）</option>' in html


def test_a_bad_value_stands_at_its_field_and_is_a_400_in_the_api(gatherings, cast, client_for, api_for):
    html = client_for(cast.street_a).get("/gatherings/", {"starts_after": "someday"}).content.decode()
    assert 'id="id_starts_after_error"' in html and "is-invalid" in html
    assert api_for(cast.street_a).get("/api/gatherings/", {"starts_after": "someday"}).status_code == 400
