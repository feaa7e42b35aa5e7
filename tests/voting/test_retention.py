"""A closed vote's list of electors and its paper codes (with who signed for them) are deleted
VOTING_RETENTION_YEARS after it closed (clock pinned), by the clock's daily task; the ballots, their chain,
the turnout and the result stay, and the chain still verifies; a vote closed recently keeps its lists;
earlier change entries about the codes no longer hold the signer's name; the turnout rows no longer name
the voters' accounts (pseudonym accounts, one per voter), their count unchanged; the audit chain still
verifies; running twice is harmless."""

from __future__ import annotations

from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.privacy.pseudonym import PREFIX
from grassroots.voting.models import Elector, Electorate, PaperCode, Turnout
from grassroots.voting.services import ballots, votes
from grassroots.voting.services.chain import verify_ballot_chain
from grassroots.voting.tasks import forget_rolls
from tests.voting.conftest import option


def test_old_votes_lose_their_rolls_the_ballots_stay_and_verify(
    cast, voters, make_vote, settings, time_machine
):
    settings.VOTING_RETENTION_YEARS = 5
    assert get("voting.forget_rolls") is not None  # the clock runs it
    old = make_vote(electorate=Electorate.LIST, electors=[voters.wang, voters.li, voters.zhao])
    ballots.cast_ballot(voter=voters.wang, vote=old, option_ids=[option(old, "同意")])
    ballots.cast_ballot(voter=voters.zhao, vote=old, option_ids=[option(old, "同意")])
    ballots.issue_paper_codes(actor=cast.worker, vote=old, voters=[voters.li], received_by="李代领人")
    old = votes.close_vote(actor=cast.worker, vote=old)
    result = old.result
    assert old.closed_at is not None and verify_ballot_chain(old) is None

    time_machine.move_to(timezone.now() + timedelta(days=365 * 3), tick=False)
    recent = make_vote(electorate=Electorate.LIST, electors=[voters.wang, voters.sun])
    ballots.issue_paper_codes(actor=cast.worker, vote=recent, voters=[voters.sun], received_by="孙代领人")
    recent = votes.close_vote(actor=cast.worker, vote=recent)

    time_machine.move_to(old.closed_at + timedelta(days=365 * 5 - 2), tick=False)
    assert forget_rolls.call()["electors"] == 0

    time_machine.move_to(old.closed_at + timedelta(days=365 * 5 + 3), tick=False)
    done = forget_rolls.call()
    assert (done["electors"], done["paper_codes"], done["years"]) == (3, 1, 5) and done["redacted"] >= 1
    assert done["turnout"] == 2
    again = forget_rolls.call()  # idempotent
    assert (again["electors"], again["paper_codes"], again["turnout"], again["redacted"]) == (0, 0, 0, 0)

    assert not Elector.objects.filter(vote=old).exists() and not PaperCode.objects.filter(vote=old).exists()
    assert Elector.objects.filter(vote=recent).count() == 2 and PaperCode.objects.filter(vote=recent).exists()
    old.refresh_from_db()
    turnout = Turnout.objects.filter(vote=old).select_related("voter")
    assert old.ballots.count() == 2 and turnout.count() == 2
    assert not turnout.filter(voter__in=[voters.wang, voters.zhao]).exists()
    assert len({row.voter_id for row in turnout}) == 2 and all(
        r.voter.username.startswith(PREFIX) for r in turnout
    )
    assert old.result == result and verify_ballot_chain(old) is None
    code_type = ContentType.objects.get_for_model(PaperCode)
    assert LogEntry.objects.filter(content_type=code_type).exists()
    assert not any("李代领人" in str(e.changes) for e in LogEntry.objects.filter(content_type=code_type))
    assert any("孙代领人" in str(e.changes) for e in LogEntry.objects.filter(content_type=code_type))
    assert AuditEvent.objects.filter(what__contains="投票人名单删除 3 条").count() == 1
    assert AuditEvent.objects.filter(what__contains="纸质投票码及领取人删除 1 条").count() == 1
    assert AuditEvent.objects.filter(what__contains="参与投票记录去标识化 2 条").count() == 1
    assert chain.verify().ok
