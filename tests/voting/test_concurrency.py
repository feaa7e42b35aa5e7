"""The same voter, or two people of one household, voting at the same moment: one ballot, the others told
why, never a server error, and the chain stays whole."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grassroots.voting.models import Ballot, Electorate, Turnout
from grassroots.voting.services import ballots
from grassroots.voting.services.chain import verify_ballot_chain
from tests.voting.conftest import option


def race(vote, people, choice) -> list[str]:
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast(person):
        try:
            barrier.wait()
            ballots.cast_ballot(voter=person, vote=vote, option_ids=[choice])
            result = "ok"
        except ValidationError as exc:
            result = "refused:" + (exc.code or "")
        except Exception as exc:  # what the voter must never get
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=cast, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for concurrency"),
    pytest.mark.django_db(transaction=True),
]


def test_one_voter_racing_themselves_gets_one_ballot(make_vote, voters):
    vote = make_vote()
    outcomes = race(vote, [voters.wang] * 8, option(vote, "同意"))
    assert outcomes.count("ok") == 1, outcomes
    assert sorted(set(outcomes) - {"ok"}) == ["refused:voted"], outcomes
    assert Ballot.objects.filter(vote=vote).count() == Turnout.objects.filter(vote=vote).count() == 1


def test_one_household_racing_gets_one_ballot_and_others_chain_in_order(make_vote, voters):
    vote = make_vote(electorate=Electorate.HOUSEHOLDS)
    outcomes = race(vote, [voters.wang, voters.li, voters.zhao] * 3, option(vote, "同意"))
    assert outcomes.count("ok") == 2, outcomes  # one per household
    assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
    assert list(Ballot.objects.filter(vote=vote).values_list("seq", flat=True)) == [1, 2]
    assert verify_ballot_chain(vote) is None
