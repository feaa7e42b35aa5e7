"""The officials' home keeps its subtree figures in the cache for HOME_FIGURES_CACHE_SECONDS (issue 19): a
view within that time costs none of their aggregate queries, says when they were counted, and each user and
area has its own entry. (tests/settings.py turns the cache off for every other test.)"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_party_org
from tests.portal.test_home import block


@pytest.fixture
def figures_cached(settings):
    settings.HOME_FIGURES_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def overview(response):
    return block(response, "figures")["overview"]


def test_the_figures_are_counted_once_then_read_from_the_cache(figures_cached, client_for, cast, tree):
    client = client_for(cast.street_a)
    with CaptureQueriesContext(connection) as first:
        response = client.get("/")
    assert overview(response).party_orgs_total == 0
    assert "data-figures-at" in response.content.decode()

    make_party_org("青江街道党工委", tree.street_a, kind="committee")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/")

    assert overview(response).party_orgs_total == 0  # within the freshness stated on the page
    assert len(second.captured_queries) < len(first.captured_queries)
    cache.clear()  # the time is up
    assert overview(client.get("/")).party_orgs_total == 1


def test_each_user_and_scope_has_its_own_entry(figures_cached, client_for, cast, tree):
    make_party_org("育才支部", tree.community_b)
    assert overview(client_for(cast.street_a).get("/")).party_orgs_total == 0
    assert overview(client_for(cast.street_b).get("/")).party_orgs_total == 1
    assert overview(client_for(cast.city).get("/")).party_orgs_total == 1
