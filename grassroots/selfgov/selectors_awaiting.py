"""等待我参与: what awaits a resident's vote, signature, comment or rating — the one read behind the
议事协商 page, the resident's home block and `GET /api/awaiting-me/`, so the three never disagree.

`awaiting_me(user)` gathers the matters' (`selectors.awaiting`: open votes still to cast, hearings taking
comments), the evaluations' (`selectors_execution.to_rate`) and the conventions' (`selectors_conventions.
awaiting`: the adoption vote still to cast, the version in force still to sign). `items(awaiting)` flattens
them, in the page's order, into the lines the API answers. Scoped by the selectors it calls: only the matters
the user sees and the convention of the courtyard they live in. A bounded number of queries, whatever the
rows (the API: ten, tests/selfgov/test_awaiting_api.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from grassroots.selfgov import selectors, selectors_conventions, selectors_execution
from grassroots.selfgov.models import Convention, Matter

# the kinds of line, in the page's order
VOTE, CONVENTION_VOTE, CONVENTION_SIGN, HEARING, EVALUATION = (
    "vote",
    "convention_vote",
    "convention_sign",
    "hearing",
    "evaluation",
)
KINDS = (VOTE, CONVENTION_VOTE, CONVENTION_SIGN, HEARING, EVALUATION)


@dataclass
class Awaiting:
    matters: list[Matter] = field(default_factory=list)  # the active matters read (the page lists them)
    to_vote: list[Matter] = field(default_factory=list)
    conventions_to_vote: list[Convention] = field(default_factory=list)
    to_sign: list[Convention] = field(default_factory=list)
    to_comment: list[Matter] = field(default_factory=list)
    to_rate: list[Matter] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.to_vote or self.conventions_to_vote or self.to_sign or self.to_comment or self.to_rate
        )


def awaiting_me(user, *, limit: int = 30) -> Awaiting:
    """What awaits `user` among the (at most `limit`) active matters they see and their courtyard's
    convention."""
    if user is None or not user.is_authenticated:
        return Awaiting()
    active, to_vote, to_comment = selectors.awaiting(user, limit=limit)
    conventions_to_vote, to_sign = selectors_conventions.awaiting(user)
    return Awaiting(
        matters=active,
        to_vote=to_vote,
        conventions_to_vote=conventions_to_vote,
        to_sign=to_sign,
        to_comment=to_comment,
        to_rate=selectors_execution.to_rate(user, active),
    )


@dataclass
class Line:
    kind: str
    title: str
    url: str
    closes_at: object = None  # the window's end (votes, evaluations), else None
    matter: int | None = None
    convention: int | None = None
    vote: int | None = None
    per_household: bool = False  # a convention signed once per household


def items(awaiting: Awaiting) -> list[Line]:
    """The lines of 等待我参与 in the page's order, each with the link the page gives it."""
    lines = [
        Line(
            VOTE,
            m.title,
            reverse("voting:detail", args=[m.vote_id]),
            m.vote.closes_at,
            matter=m.pk,
            vote=m.vote_id,
        )
        for m in awaiting.to_vote
    ]
    lines += [
        Line(
            CONVENTION_VOTE,
            c.document.title,
            reverse("voting:detail", args=[c.vote_id]),
            c.vote.closes_at,
            convention=c.pk,
            vote=c.vote_id,
        )
        for c in awaiting.conventions_to_vote
    ]
    lines += [
        Line(
            CONVENTION_SIGN,
            c.document.title,
            f"{c.get_absolute_url()}#signatures",
            convention=c.pk,
            per_household=bool(getattr(c, "signing_per_household", False)),
        )
        for c in awaiting.to_sign
    ]
    lines += [
        Line(HEARING, m.title, f"{m.get_absolute_url()}#comments", matter=m.pk) for m in awaiting.to_comment
    ]
    lines += [
        Line(
            EVALUATION,
            m.title,
            f"{m.get_absolute_url()}#evaluation",
            m.open_evaluation.closes_at,
            matter=m.pk,
        )
        for m in awaiting.to_rate
    ]
    return lines
