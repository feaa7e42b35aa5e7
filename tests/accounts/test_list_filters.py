"""The accounts lists' FilterSets (accounts/filters.py): the people page and /api/users/, a person's grants
and /api/grants/?user=, the verification queue and /api/verifications/ give the same rows."""

import pytest

from grassroots.workflow.services import transition
from tests.factories import Level, make_area
from tests.workflow.factories import register


@pytest.fixture
def residents(tree, cast):
    waiting = register(tree.courtyard_a, username="w1", full_name="张一")
    done = register(tree.courtyard_a, username="w2", full_name="张二")
    transition(done, "verify", actor=cast.worker)
    refused = register(tree.courtyard_a, username="w3", full_name="李三")
    transition(refused, "reject", actor=cast.worker, comment="地址不符")
    elsewhere = make_area("育才一号院", Level.COURTYARD, make_area("育才网格", Level.GRID, tree.community_b))
    register(elsewhere, username="w4", full_name="张四")  # another street's
    return waiting, done, refused


@pytest.mark.parametrize("query", ["", "q=张", "q=w3", "q=worker", "q=  张二 "])
def test_the_people_page_and_the_api_search_alike(residents, cast, client_for, api_for, query):
    api = api_for(cast.street_a).get(f"/api/users/?{query}")
    page = client_for(cast.street_a).get(f"/accounts/users/?{query}")
    assert api.status_code == page.status_code == 200
    listed = [u.pk for u in page.context["page"]]
    assert listed == [row["id"] for row in api.json()["results"]] and listed


@pytest.mark.parametrize("who", ["street_a", "city"])
def test_a_persons_grants_are_the_apis(residents, cast, client_for, api_for, who):
    viewer = getattr(cast, who)
    for person in (cast.worker, cast.secretary, residents[0].user):
        page = client_for(viewer).get(f"/accounts/users/{person.pk}/")
        api = api_for(viewer).get(f"/api/grants/?user={person.pk}").json()["results"]
        assert sorted(g.pk for g in page.context["grants"]) == sorted(row["id"] for row in api)


@pytest.mark.parametrize("state", ["pending", "verified", "rejected"])
@pytest.mark.parametrize("who", ["worker", "street_a"])
def test_the_verification_queue_and_the_api_filter_alike(
    residents, tree, cast, client_for, api_for, state, who
):
    user = getattr(cast, who)
    for query in (f"state={state}", f"state={state}&area={tree.grid_a.pk}"):
        page = client_for(user).get(f"/accounts/verification/?{query}")
        api = api_for(user).get(f"/api/verifications/?{query}")
        assert api.status_code == page.status_code == 200
        listed = {r.pk for r in page.context["rows"]}
        assert listed == {row["id"] for row in api.json()["results"]} and len(listed) == 1


def test_the_queue_opens_on_the_pending(residents, cast, client_for):
    waiting = residents[0]
    for query in ("", "?state=nonsense"):
        page = client_for(cast.worker).get(f"/accounts/verification/{query}")
        assert [r.pk for r in page.context["rows"]] == [waiting.pk]
