"""Retention of closed votes (docs/voting.md, docs/decisions.md "Retention of business records"), the steps
of grassroots/privacy/retention.py: VOTING_RETENTION_YEARS after a vote closed — a residents' committee's
term, until which the ballots of an election are kept — the clock's daily `voting.forget_rolls` deletes its
list of electors and its paper codes (each naming a voter and who signed for the code). The ballots are the
vote's record and stay untouched, so their chain still verifies (voting/services/chain.py hashes each
ballot's voter account, household and witness as cast: an open ballot keeps naming its voter's account,
pseudonymised only when that account is deleted — privacy/pseudonym.py KEEP). The turnout rows (who took
part, the check of the ballot count) and the result stay, each turnout row's voter moved to a pseudonym
account (one per voter: "one turnout row per voter and vote" still holds; `voting.forget_turnout`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _closed_before(cutoff: dt.date):
    from grassroots.voting.models import Vote, VoteStatus

    return Vote.objects.filter(status=VoteStatus.CLOSED, closed_at__lt=retention.start_of(cutoff))


def _electors_due(cutoff: dt.date):
    from grassroots.voting.models import Elector

    return Elector.objects.filter(vote__in=_closed_before(cutoff))


def _codes_due(cutoff: dt.date):
    from grassroots.voting.models import PaperCode

    return PaperCode.objects.filter(vote__in=_closed_before(cutoff))


ELECTORS = retention.Rule(
    setting="VOTING_RETENTION_YEARS",
    label=_("投票人名单保存期限"),
    what=_("投票结束超过保存期限：投票人名单删除 %(count)s 条"),
    due=_electors_due,
    delete=True,
)
PAPER_CODES = retention.Rule(
    setting="VOTING_RETENTION_YEARS",
    label=_("纸质投票码保存期限"),
    what=_("投票结束超过保存期限：纸质投票码及领取人删除 %(count)s 条"),
    due=_codes_due,
    delete=True,
    own=lambda: {"received_by": ""},
)


def _turnout_due(cutoff: dt.date):
    from grassroots.voting.models import Turnout

    return Turnout.objects.filter(vote__in=_closed_before(cutoff)).exclude(retention.unlinked("voter"))


TURNOUT = retention.Rule(
    setting="VOTING_RETENTION_YEARS",
    label=_("参与投票记录保存期限"),
    what=_("投票结束超过保存期限：参与投票记录去标识化 %(count)s 条"),
    due=_turnout_due,
    links=("voter",),
)


def forget_rolls(*, now: dt.datetime | None = None) -> dict:
    electors = retention.run(ELECTORS, now=now)
    codes = retention.run(PAPER_CODES, now=now)
    turnout = retention.run(TURNOUT, now=now)
    return {
        "electors": electors["count"],
        "paper_codes": codes["count"],
        "turnout": turnout["count"],
        "redacted": electors["redacted"] + codes["redacted"] + turnout["redacted"],
        "years": electors["years"],
    }
