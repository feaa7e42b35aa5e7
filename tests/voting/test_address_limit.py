"""Beside each person's limit, ballots are limited per client address (voting/limits.py `ballot_address`,
settings.VOTING_RATE_LIMITS): many accounts voting from one address within the minute get 429 with a Chinese
message, on a vote's page and `POST /api/votes/{id}/ballots/`, on a campaign's page and
`POST /api/campaign-votes/` alike (the one mechanism). The address is the trusted-proxy client address the
sign-in lockout uses (accounts/addresses.py): X-Forwarded-For counts only from a trusted proxy. The clock is
pinned (tick=False): the minute is the limiter's window."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from grassroots.voting.limits import DEFAULT_RATES
from grassroots.voting.models import Ballot
from tests.virtue.campaign_helpers import residents, to_vote
from tests.voting.conftest import option

A, B, PROXY = "203.0.113.7", "198.51.100.3", "10.0.0.1"
MESSAGE = "同一网络地址短时间内投票过于频繁"


@pytest.fixture
def address_rate(settings, time_machine):
    cache.clear()
    settings.VOTING_RATE_LIMITS = {"ballot_address": "3/min"}  # the person's own limit as deployed
    settings.TRUSTED_PROXIES = [PROXY]
    time_machine.move_to(timezone.now(), tick=False)
    yield
    cache.clear()


def test_the_deployed_rates():
    assert (DEFAULT_RATES["ballot"], DEFAULT_RATES["ballot_address"]) == ("10/min", "30/min")


def test_many_accounts_from_one_address_are_limited_on_the_page_and_the_api(
    address_rate, make_vote, voters, client_for, api_for
):
    vote = make_vote()
    choice = option(vote, "同意")
    for person in (voters.wang, voters.li, voters.zhao):  # three accounts from one address: the rate
        cast = client_for(person).post(f"/voting/{vote.pk}/cast/", {"options": choice}, REMOTE_ADDR=A)
        assert cast.status_code == 200 and "data-receipt" in cast.content.decode()
    url, body = f"/api/votes/{vote.pk}/ballots/", {"options": [choice]}
    api = api_for(voters.sun).post(url, body, format="json", REMOTE_ADDR=A)
    assert api.status_code == 429 and MESSAGE in api.json()["detail"]
    page = client_for(voters.sun).post(f"/voting/{vote.pk}/cast/", {"options": choice}, REMOTE_ADDR=A)
    assert page.status_code == 429 and MESSAGE in page.content.decode()
    # A header the client writes itself proves nothing: still address A.
    spoofed = api_for(voters.sun).post(url, body, format="json", REMOTE_ADDR=A, HTTP_X_FORWARDED_FOR=B)
    assert spoofed.status_code == 429
    # Through the trusted proxy, the client named by it is the address: A is limited, B is not.
    via_proxy = {"REMOTE_ADDR": PROXY, "format": "json"}
    assert api_for(voters.sun).post(url, body, HTTP_X_FORWARDED_FOR=A, **via_proxy).status_code == 429
    assert api_for(voters.sun).post(url, body, HTTP_X_FORWARDED_FOR=B, **via_proxy).status_code == 201
    assert Ballot.objects.filter(vote=vote).count() == 4


def test_campaign_votes_from_one_address_are_limited_too(address_rate, cast, tree, client_for, api_for):
    people = residents(tree)
    campaign, (first, _second, _third) = to_vote(cast, tree, people)
    url, body = "/api/campaign-votes/", {"campaign": campaign.pk, "nominations": [first.pk]}
    page = f"/virtue/campaigns/{campaign.pk}/"
    # two attempts of the address on the page and one through the API: its three a minute
    voted = client_for(people.wang).post(page, {"action": "vote", "nominations": [first.pk]}, REMOTE_ADDR=A)
    assert voted.status_code == 302
    assert api_for(people.li).post(url, body, format="json", REMOTE_ADDR=A).status_code == 201
    assert api_for(people.li).post(url, body, format="json", REMOTE_ADDR=A).status_code == 400  # voted
    limited = api_for(people.zhao).post(url, body, format="json", REMOTE_ADDR=A)
    assert limited.status_code == 429 and MESSAGE in limited.json()["detail"]
    on_page = client_for(people.zhao).post(page, {"action": "vote", "nominations": [first.pk]}, REMOTE_ADDR=A)
    assert on_page.status_code == 429 and MESSAGE in on_page.content.decode()
    assert api_for(people.zhao).post(url, body, format="json", REMOTE_ADDR=B).status_code == 201
    assert Ballot.objects.filter(vote=campaign.vote).count() == 3
