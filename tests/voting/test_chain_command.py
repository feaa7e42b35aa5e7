"""`manage.py verify_ballot_chain` re-verifies the ballot chain of every published and closed vote (or of one,
`--vote ID`): OK per vote, or the vote and its first broken link, with exit status 1 (docs/voting.md, "Ballot
chain"). The tampering is a real UPDATE of a ballot row, as a database user would do it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from grassroots.voting.models import Ballot
from grassroots.voting.services import ballots, votes
from tests.voting.conftest import option


def verify_command(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_ballot_chain", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def two_votes(make_vote, voters, cast):
    """A closed vote and an open one, three ballots each."""
    closed, still_open = make_vote(title="加装电梯"), make_vote(title="停车收费")
    for vote in (closed, still_open):
        for person, label in [(voters.wang, "同意"), (voters.zhao, "不同意"), (voters.sun, "同意")]:
            ballots.cast_ballot(voter=person, vote=vote, option_ids=[option(vote, label)])
    closed = votes.close_vote(actor=cast.worker, vote=closed)
    return closed, still_open


def test_clean_chains_pass(two_votes, make_vote):
    closed, still_open = two_votes
    make_vote(title="草稿", publish=False)  # a draft has no chain to verify
    status, out, err = verify_command()
    assert status == 0 and err == ""
    assert f"OK: vote #{closed.pk} 加装电梯: 3 ballots" in out
    assert f"OK: vote #{still_open.pk} 停车收费: 3 ballots" in out
    assert "草稿" not in out and "OK: 2 votes verified" in out
    status, out, _err = verify_command("--vote", str(still_open.pk))
    assert status == 0 and f"#{still_open.pk}" in out and f"#{closed.pk}" not in out


@pytest.mark.parametrize("which", [0, 1])
def test_an_altered_ballot_row_fails_and_names_the_vote(two_votes, which):
    tampered, other = two_votes[which], two_votes[1 - which]
    second = Ballot.objects.get(vote=tampered, seq=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Ballot._meta.db_table} SET receipt_digest = %s WHERE id = %s", ["f" * 64, second.pk]
        )
    status, out, err = verify_command()
    assert status == 1
    assert f"BROKEN: vote #{tampered.pk} {tampered.title}:" in err
    assert "2" in err.split(f"#{tampered.pk}")[1]  # the second ballot is named
    assert f"OK: vote #{other.pk}" in out and f"#{other.pk}" not in err
    assert "1 of 2 votes have a broken ballot chain" in err
    status, _out, err = verify_command("--vote", str(tampered.pk))
    assert status == 1 and f"#{tampered.pk}" in err
    assert verify_command("--vote", str(other.pk))[0] == 0


def test_an_unknown_vote_is_an_error(db):
    with pytest.raises(CommandError, match="no vote #999999"):
        call_command("verify_ballot_chain", "--vote", "999999")
