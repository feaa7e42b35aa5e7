"""The officials' home — their area's dashboard — keeps its figures in the cache for
HOME_FIGURES_CACHE_SECONDS (issue 19): a view within that time costs none of their aggregate queries, says
when they were counted, and each area has its own entry (shared by its viewers: the figures a user may see
are checked before the cache is read). (tests/settings.py turns the cache off for every other test.)"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_party_org
from tests.homes import block, open_home


@pytest.fixture
def figures_cached(settings):
    settings.HOME_FIGURES_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def party_orgs(response) -> int:
    """The Party organizations of the home's area (the registry's areas.party_orgs on its dashboard)."""
    lines = {d.name: line for d, line, _parts in block(response, "figures")["tiles"]}
    return lines["areas.party_orgs"].value


# What the home costs with its figures in the cache: the page alone (its blocks load on their own, each in a
# request of its own: portal/homes.py) is the session, the user, their grants, the default area and the
# layout, none of the figures' aggregates; with every block's request as the browser makes them, the to-do and
# the other parts' blocks, each with the request's own three (was 23 / 22 with the blocks in the page).
HOME_WARM_PINS = {"street_a": 7, "city": 7}
HOME_WARM_TOTAL_PINS = {"street_a": 59, "city": 58}


@pytest.mark.parametrize("who", list(HOME_WARM_PINS))
def test_with_the_figures_cached_the_home_page_costs_none_of_their_aggregates(
    figures_cached, client_for, cast, who, django_assert_max_num_queries
):
    client = client_for(getattr(cast, who))
    assert open_home(client).status_code == 200  # computes and keeps the figures
    with django_assert_max_num_queries(HOME_WARM_PINS[who]):
        response = client.get("/")
    assert "data-figures-at" in response.content.decode()
    with django_assert_max_num_queries(HOME_WARM_TOTAL_PINS[who]):
        assert open_home(client).status_code == 200


def test_the_figures_are_counted_once_then_read_from_the_cache(figures_cached, client_for, cast, tree):
    client = client_for(cast.street_a)
    with CaptureQueriesContext(connection) as first:
        response = open_home(client)
    assert party_orgs(response) == 0
    assert "data-figures-at" in response.content.decode()

    make_party_org("青江街道党工委", tree.street_a, kind="committee")
    with CaptureQueriesContext(connection) as second:
        response = open_home(client)

    assert party_orgs(response) == 0  # within the freshness stated on the page
    assert len(second.captured_queries) < len(first.captured_queries)
    cache.clear()  # the time is up
    assert party_orgs(open_home(client)) == 1


def test_each_area_has_its_own_entry(figures_cached, client_for, cast, tree):
    make_party_org("育才支部", tree.community_b)
    assert party_orgs(open_home(client_for(cast.street_a))) == 0
    assert party_orgs(open_home(client_for(cast.street_b))) == 1
    assert party_orgs(open_home(client_for(cast.city))) == 1
