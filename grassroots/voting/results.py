"""A vote's results as published (the results page `/voting/<id>/results/` and `GET /api/votes/{id}/
results/`, for anyone who sees the vote — the residents of its area and community among them): the count per
option, the turnout against the electorate, the quorum and the majority rule with the outcome they give, and
the ballot chain's verification (re-computed on every read, with the final digest published at closing).
Nothing is shown before the vote is closed. Two queries (the options, the ballots' chain)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from grassroots.voting.models import Majority, Vote, VoteStatus
from grassroots.voting.selectors import quorum_ballots
from grassroots.voting.services.chain import verify_ballot_chain


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def _rule(vote: Vote) -> str:
    return {
        Majority.SIMPLE: _("同意票须超过投票数的一半"),
        Majority.TWO_THIRDS: _("同意票须达到投票数的三分之二"),
    }.get(vote.majority, _("得票最多者当选（至多 %(k)s 项）") % {"k": vote.max_choices})


def _outcome(vote: Vote, result: dict) -> str:
    carried = [o["label"] for o in result["options"] if o["carried"]]
    if not result["quorum_met"]:
        return _("参与人数未达到最低参与比例，表决无效。")
    if result.get("tie"):
        return _("末位票数相同，需另行决定。")
    if not carried:
        return _("没有选项达到通过所需票数，未获通过。")
    return _("通过：%(options)s") % {"options": "、".join(carried)}


def results_of(vote: Vote) -> dict | None:
    """The published results of a closed vote (None before it is closed)."""
    if vote.status != VoteStatus.CLOSED or not vote.result:
        return None
    result = vote.result
    ballots, electorate = result["ballots"], result["electorate"]
    fault = verify_ballot_chain(vote)
    return {
        "ballots": ballots,
        "electorate": electorate,
        "turnout_percent": _percent(ballots, electorate),
        "quorum_percent": vote.quorum_percent,
        "quorum_ballots": quorum_ballots(vote, electorate),
        "quorum_met": bool(result["quorum_met"]),
        "majority": vote.majority,
        "majority_label": vote.get_majority_display(),
        "rule": _rule(vote),
        "tie": bool(result.get("tie")),
        "options": [
            {
                "label": o["label"],
                "votes": o["votes"],
                "percent": _percent(o["votes"], ballots),
                "carried": bool(o["carried"]),
            }
            for o in result["options"]
        ],
        "outcome": _outcome(vote, result),
        "chain": {
            "verified": fault is None,
            "fault": fault,
            "digest": vote.chain_head,
            "length": vote.chain_seq,
        },
    }
