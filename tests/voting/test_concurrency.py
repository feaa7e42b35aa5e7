"""The same voter, or two people of one household, voting at the same moment: one ballot, the others told
why, never a server error, and the chain stays whole."""

import pytest

from grassroots.voting.models import Ballot, Electorate, Turnout
from grassroots.voting.services import ballots
from grassroots.voting.services.chain import verify_ballot_chain
from tests.concurrency import race, server_db_only
from tests.voting.conftest import option

pytestmark = [server_db_only, pytest.mark.django_db(transaction=True)]


def cast_race(vote, people, choice) -> list[str]:
    return race(lambda person: ballots.cast_ballot(voter=person, vote=vote, option_ids=[choice]), people)


def test_one_voter_racing_themselves_gets_one_ballot(make_vote, voters):
    vote = make_vote()
    outcomes = cast_race(vote, [voters.wang] * 8, option(vote, "同意"))
    assert outcomes.count("ok") == 1, outcomes
    assert sorted(set(outcomes) - {"ok"}) == ["refused:voted"], outcomes
    assert Ballot.objects.filter(vote=vote).count() == Turnout.objects.filter(vote=vote).count() == 1


def test_one_household_racing_gets_one_ballot_and_others_chain_in_order(make_vote, voters):
    vote = make_vote(electorate=Electorate.HOUSEHOLDS)
    outcomes = cast_race(vote, [voters.wang, voters.li, voters.zhao] * 3, option(vote, "同意"))
    assert outcomes.count("ok") == 2, outcomes  # one per household
    assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
    assert list(Ballot.objects.filter(vote=vote).values_list("seq", flat=True)) == [1, 2]
    assert verify_ballot_chain(vote) is None


def test_the_three_ways_at_once_count_one_ballot(make_vote, voters, cast):
    """wang votes on the phone while a worker enters his paper code and another his witnessed ballot: one
    ballot, the rest refused (each way writes the same turnout row), and the chain whole."""
    vote = make_vote()
    yes = option(vote, "同意")
    codes = [
        code for _voter, code in ballots.issue_paper_codes(actor=cast.worker, vote=vote, voters=[voters.wang])
    ]
    ways = {
        "online": lambda: ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[yes]),
        "code": lambda: ballots.cast_with_code(code=codes[0], option_ids=[yes]),
        "witnessed": lambda: ballots.cast_witnessed(
            actor=cast.worker, vote=vote, voter=voters.wang, option_ids=[yes], witness="张三"
        ),
    }
    outcomes = race(lambda way: ways[way](), list(ways) * 3)
    assert outcomes.count("ok") == 1, outcomes
    assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
    assert Ballot.objects.filter(vote=vote).count() == Turnout.objects.filter(vote=vote).count() == 1
    assert verify_ballot_chain(vote) is None
