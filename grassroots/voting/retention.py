"""Retention of closed votes (docs/voting.md, docs/decisions.md "Retention of business records"), the steps
of grassroots/privacy/retention.py: VOTING_RETENTION_YEARS after a vote closed — a residents' committee's
term, until which the ballots of an election are kept — the clock's daily `voting.forget_rolls` deletes its
list of electors and its paper codes (each naming a voter and who signed for the code). The ballots are the
vote's record and stay untouched, so their chain still verifies (voting/services/chain.py hashes each
ballot's voter account, household and witness as cast); the turnout rows (who took part, the check of the
ballot count) and the result stay."""

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


def forget_rolls(*, now: dt.datetime | None = None) -> dict:
    electors = retention.run(ELECTORS, now=now)
    codes = retention.run(PAPER_CODES, now=now)
    return {
        "electors": electors["count"],
        "paper_codes": codes["count"],
        "redacted": electors["redacted"] + codes["redacted"],
        "years": electors["years"],
    }
