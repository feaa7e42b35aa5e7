"""Scripted campaign voting is slowed down: the voting part's `ballot` limit (10 a minute per signed-in
person, voting/limits.py DEFAULT_RATES) counts every attempt to vote, on the campaign page and through
/api/campaign-votes/ alike; the eleventh attempt within the minute gets 429 with a Chinese message, others are
not affected, and the next minute lets the person try again. The clock is pinned (tick=False): the minute is
the limiter's window."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from grassroots.voting.limits import DEFAULT_RATES
from grassroots.voting.models import Ballot
from tests.virtue.campaign_helpers import residents, to_vote


@pytest.fixture
def default_rates(settings):
    """The rates a deployment runs with (tests/settings.py lifts them for the rest of the suite)."""
    cache.clear()
    settings.VOTING_RATE_LIMITS = {}
    yield
    cache.clear()


def test_the_limit_is_ten_a_minute():
    assert DEFAULT_RATES["ballot"] == "10/min"


def test_scripted_voting_through_the_api_gets_429(default_rates, cast, tree, api_for, time_machine, today):
    people = residents(tree)
    campaign, (first, second, _third) = to_vote(cast, tree, people)
    time_machine.move_to(timezone.now(), tick=False)
    script = api_for(people.wang)

    def attempt(nomination):
        return script.post(
            "/api/campaign-votes/", {"campaign": campaign.pk, "nominations": [nomination.pk]}, format="json"
        )

    answers = [attempt(first if i % 2 else second) for i in range(11)]
    assert [r.status_code for r in answers] == [201] + [400] * 9 + [429]
    assert "操作过于频繁" in answers[-1].json()["detail"]
    assert Ballot.objects.filter(vote=campaign.vote).count() == 1  # the one ballot, counted once

    # Another voter is not slowed down by the script.
    assert (
        api_for(people.li)
        .post("/api/campaign-votes/", {"campaign": campaign.pk, "nominations": [first.pk]}, format="json")
        .status_code
        == 201
    )
    # A minute later the limiter lets the same person try again (and the vote refuses the second ballot).
    time_machine.move_to(timezone.now() + timedelta(seconds=61), tick=False)
    assert attempt(first).status_code == 400


def test_scripted_voting_on_the_page_gets_429(default_rates, cast, tree, client_for, time_machine, today):
    people = residents(tree)
    campaign, (first, _second, _third) = to_vote(cast, tree, people)
    time_machine.move_to(timezone.now(), tick=False)
    script = client_for(people.zhao)
    url = f"/virtue/campaigns/{campaign.pk}/"
    answers = [script.post(url, {"action": "vote", "nominations": [first.pk]}) for _ in range(11)]
    assert [r.status_code for r in answers[:10]] == [302] + [403] * 9  # voted: no ballot offered again
    assert answers[-1].status_code == 429
    page = answers[-1].content.decode()
    assert "操作过于频繁" in page and f'href="{url}"' in page  # back to the campaign
    assert Ballot.objects.filter(vote=campaign.vote).count() == 1
