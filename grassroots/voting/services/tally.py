"""The count of a vote and its outcome (docs/voting.md, "Results").

- quorum: ballots ≥ quorum_percent % of the electorate (its size when the vote closes);
- simple: an option is carried by more than half of the ballots; two_thirds: by at least two thirds of them;
- most: the max_choices options with the most votes are elected (a tie at the last place elects none of the
  tied and is reported).
Without quorum nothing is carried.
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count

from grassroots.voting import selectors
from grassroots.voting.models import BallotChoice, Majority, Vote


def tally(vote: Vote, *, electorate: int | None = None) -> dict:
    electorate = selectors.electorate_size(vote) if electorate is None else electorate
    ballots = vote.ballots.count()
    counts = dict(
        BallotChoice.objects.filter(ballot__vote=vote)
        .values_list("option")
        .annotate(n=Count("pk"))
        .values_list("option", "n")
    )
    options = [{"id": o.pk, "label": o.label, "votes": counts.get(o.pk, 0)} for o in vote.options.all()]
    quorum_met = ballots * 100 >= vote.quorum_percent * electorate and ballots > 0
    carried: list[int] = []
    tie = False
    if quorum_met:
        if vote.majority == Majority.MOST:
            ranked = sorted(options, key=lambda o: -o["votes"])
            k = vote.max_choices
            if len(ranked) > k and ranked[k - 1]["votes"] == ranked[k]["votes"]:
                tie = True
                bar = ranked[k - 1]["votes"]
                carried = [o["id"] for o in ranked[:k] if o["votes"] > bar]
            else:
                carried = [o["id"] for o in ranked[:k] if o["votes"] > 0]
        else:
            share = Fraction(1, 2) if vote.majority == Majority.SIMPLE else Fraction(2, 3)
            for o in options:
                passed = (
                    o["votes"] > share * ballots
                    if vote.majority == Majority.SIMPLE
                    else (o["votes"] >= share * ballots)
                )
                if passed:
                    carried.append(o["id"])
    for o in options:
        o["carried"] = o["id"] in carried
    return {
        "electorate": electorate,
        "ballots": ballots,
        "quorum_met": quorum_met,
        "tie": tie,
        "options": options,
    }
