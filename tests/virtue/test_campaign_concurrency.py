"""Campaign votes under concurrent requests (PostgreSQL): one voter racing themselves gets one ballot of at
most `votes_per_voter` marks, one per candidate; many voters at once each get theirs; the count equals the
ballots and the chain holds."""

import pytest

from grassroots.virtue import services_campaigns as campaigns
from grassroots.voting.models import Ballot, BallotChoice, Turnout
from grassroots.voting.services.chain import verify_ballot_chain
from grassroots.voting.services.tally import tally
from tests.concurrency import race, server_db_only
from tests.virtue.campaign_helpers import residents, to_vote

pytestmark = [server_db_only, pytest.mark.django_db(transaction=True)]


def test_one_voter_racing_themselves_gets_one_ballot(cast, tree):
    people = residents(tree)
    campaign, (a, b, c) = to_vote(cast, tree, people, votes_per_voter=2)
    picks = [[a, b], [b, c], [a, c], [c, a]] * 2
    outcomes = race(
        lambda pick: campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=pick), picks
    )
    assert outcomes.count("ok") == 1, outcomes
    assert sorted(set(outcomes) - {"ok"}) == ["refused:voted"], outcomes
    assert (
        Ballot.objects.filter(vote=campaign.vote).count()
        == Turnout.objects.filter(vote=campaign.vote).count()
        == 1
    )
    assert BallotChoice.objects.filter(ballot__vote=campaign.vote).count() == 2


def test_many_voters_at_once_each_count_once(cast, tree):
    people = residents(tree)
    campaign, (a, b, _c) = to_vote(cast, tree, people, votes_per_voter=2)
    voters = [people.wang, people.li, people.zhao] * 3
    outcomes = race(
        lambda voter: campaigns.cast_vote(voter=voter, campaign=campaign, nominations=[a, b]), voters
    )
    assert outcomes.count("ok") == 3, outcomes
    assert all(o == "refused:voted" for o in outcomes if o != "ok"), outcomes
    vote = campaign.vote
    assert list(Ballot.objects.filter(vote=vote).values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_ballot_chain(vote) is None
    counts = {row["id"]: row["votes"] for row in tally(vote)["options"]}
    assert (counts[a.option_id], counts[b.option_id]) == (3, 3)
