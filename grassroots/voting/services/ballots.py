"""Casting ballots: online by the voter, with a paper code, or witnessed in person; checking a receipt.

Every way goes through `_cast`: the vote's row is locked (ballots of one vote queue behind each other, so the
chain cannot fork), the window is checked against the clock, the voter must be a verified member of the
electorate, the choices are checked, then one `Turnout` row (unique per voter and per household in the
database: the second ballot of a voter or household is refused even under concurrent requests), then the
ballot and its choices are appended to the chain. The receipt code is returned once; only its digest stays.

The three ways count once per voter between them: a paper code or a witnessed ballot writes the same
`Turnout` row as the phone, so whichever comes second is refused by the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.voting import selectors
from grassroots.voting.models import Ballot, BallotChoice, Channel, PaperCode, Turnout, Vote, VoteStatus
from grassroots.voting.services import chain


def lock(vote: Vote) -> Vote:
    # of=self: the vote's row only, not the area joined in (PostgreSQL locks every joined row otherwise)
    return Vote.objects.select_for_update(of=("self",)).select_related("area").get(pk=vote.pk)


def require_manage(actor, vote: Vote) -> None:
    if not has_perm(actor, "voting.manage", vote.area):
        raise PermissionDenied(_("您无权组织或管理该区域的投票。"))


def require_open(vote: Vote, now: datetime) -> None:
    if vote.status == VoteStatus.DRAFT or now < vote.opens_at:
        raise ValidationError(_("投票尚未开始。"), code="not_open")
    if not vote.is_open_at(now):
        raise ValidationError(_("投票已截止。"), code="closed")


def check_choices(vote: Vote, option_ids: Iterable) -> list[int]:
    try:
        chosen = [int(pk) for pk in option_ids]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"options": _("选项无效。")}) from exc
    if len(set(chosen)) != len(chosen):
        raise ValidationError({"options": _("同一选项只能选一次。")}, code="duplicate")
    valid = {option.pk for option in vote.options.all()}  # the options prefetched by the caller, if it did
    if not set(chosen) <= valid:
        raise ValidationError({"options": _("选项无效。")}, code="invalid")
    if not vote.min_choices <= len(chosen) <= vote.max_choices:
        if vote.min_choices == vote.max_choices:
            message = _("请选择 %(n)s 项。") % {"n": vote.min_choices}
        else:
            message = _("请选择 %(min)s 至 %(max)s 项。") % {
                "min": vote.min_choices,
                "max": vote.max_choices,
            }
        raise ValidationError({"options": message}, code="count")
    return chosen


def _checked(
    vote: Vote, voter, option_ids: Iterable, now: datetime, *, check_open: bool = True
) -> tuple[list[int], object]:
    """The checks of a ballot that need no lock: open, eligible, valid choices; (chosen, household).
    `check_open=False` where the vote object may be older than the vote (the caller's): its state is then
    checked under the lock only."""
    if check_open:
        require_open(vote, now)
    if not selectors.is_eligible(vote, voter):
        raise ValidationError(
            _("您不在本次投票的投票人范围内（须为已实名核验的居民）。"), code="not_eligible"
        )
    chosen = check_choices(vote, option_ids)
    household = selectors.household_of(voter) if vote.by_household else None
    return chosen, household


def _cast(
    *,
    vote: Vote,
    voter,
    option_ids: Iterable,
    now: datetime | None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    witness: str = "",
    witness_user=None,
    checked: tuple[list[int], object] | None = None,
) -> tuple[Ballot, str]:
    """Append the ballot to the vote's chain, under the vote's lock (inside the caller's transaction).
    `checked`: what `_checked` found before the transaction; else the checks run here."""
    now = now or timezone.now()
    vote = lock(vote)
    if checked is None:
        chosen, household = _checked(vote, voter, option_ids, now)
    else:
        chosen, household = checked
        require_open(vote, now)  # the vote's state as it is now, under its lock
    try:
        with transaction.atomic():
            Turnout.objects.create(id=uuid.uuid4(), vote=vote, voter=voter, household=household)
    except IntegrityError as exc:
        if household is not None and Turnout.objects.filter(vote=vote, household=household).exists():
            raise ValidationError(_("您家已有人投过票（每户一票）。"), code="household_voted") from exc
        raise ValidationError(_("您已投过票，每人只能投一次。"), code="voted") from exc
    code = chain.new_code()
    seq, prev = chain.head(vote)
    ballot = Ballot(
        vote=vote,
        seq=seq + 1,
        voter=None if vote.secret else voter,
        household=None if vote.secret else household,
        channel=channel,
        entered_by=entered_by,
        witness=witness,
        witness_user=witness_user,
        receipt_digest=chain.code_digest(code),
        prev_hash=prev,
    )
    ballot.content_hash = chain.content_hash(ballot, chosen)
    ballot.hash = chain.link_hash(prev, ballot.content_hash)
    ballot.save()
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, option_id=pk) for pk in chosen])
    return ballot, code


def cast_ballot(*, voter, vote: Vote, option_ids: Iterable, now: datetime | None = None):
    """The voter's own ballot from their phone; returns (ballot, receipt code). The checks run before the
    transaction, which holds the vote's lock (and on SQLite the database's one writer) for the append
    alone: in a burst of ballots each waits only on the others' appends (issue 19). The vote's state is
    checked again under the lock; a second ballot of the same voter still meets the turnout's key."""
    now = now or timezone.now()
    checked = _checked(vote, voter, option_ids, now, check_open=False)
    with transaction.atomic():
        return _cast(vote=vote, voter=voter, option_ids=option_ids, now=now, checked=checked)


@transaction.atomic
def cast_witnessed(
    *,
    actor,
    vote: Vote,
    voter,
    option_ids: Iterable,
    witness: str = "",
    witness_user=None,
    now: datetime | None = None,
):
    """A ballot given in person and entered by a worker, with a witness: another account (`witness_user`)
    or a person named (`witness`). Neither the worker nor the voter can be their own witness."""
    require_manage(actor, vote)
    if witness_user is not None:
        if not witness_user.is_active or witness_user.pk in (actor.pk, getattr(voter, "pk", None)):
            raise ValidationError({"witness_user": _("见证人须是录入人和投票人以外的另一人。")})
        witness = witness_user.display_name
    witness = (witness or "").strip()
    if not witness:
        raise ValidationError({"witness": _("请填写见证人。")})
    if witness_user is None and witness in (actor.display_name, getattr(voter, "display_name", None)):
        raise ValidationError({"witness": _("见证人须是录入人和投票人以外的另一人。")})
    return _cast(
        vote=vote,
        voter=voter,
        option_ids=option_ids,
        now=now,
        channel=Channel.WITNESSED,
        entered_by=actor,
        witness=witness,
        witness_user=witness_user,
    )


@transaction.atomic
def issue_paper_codes(
    *, actor, vote: Vote, voters: Iterable, received_by: str = "", now: datetime | None = None
) -> list[tuple]:
    """Print single-use codes for voters who asked for one (no phone): [(voter, code)], each code shown
    this once. The signature record keeps who received each (`received_by`, else the voter), when and from
    whom. Refused as a whole, naming the people, when any voter is outside the electorate, has voted, or
    has a code already."""
    now = now or timezone.now()
    require_manage(actor, vote)
    vote = lock(vote)
    if vote.status == VoteStatus.CLOSED or now >= vote.closes_at:
        raise ValidationError(_("投票已截止。"), code="closed")
    voters = list({v.pk: v for v in voters}.values())
    if not voters:
        raise ValidationError({"voters": _("请选择领取投票码的居民。")})
    problems = {
        "not_eligible": [v for v in voters if not selectors.is_eligible(vote, v)],
        "voted": list(Turnout.objects.filter(vote=vote, voter__in=voters).values_list("voter", flat=True)),
        "issued": list(PaperCode.objects.filter(vote=vote, voter__in=voters).values_list("voter", flat=True)),
    }
    names = {v.pk: v.display_name for v in voters}
    messages = {
        "not_eligible": _("不在本次投票的投票人范围内：%(names)s"),
        "voted": _("已投过票：%(names)s"),
        "issued": _("已领过投票码：%(names)s"),
    }
    for key, found in problems.items():
        if found:
            listed = "、".join(names[getattr(v, "pk", v)] for v in found)
            raise ValidationError({"voters": messages[key] % {"names": listed}}, code=key)
    received_by = (received_by or "").strip()
    issued = []
    for voter in voters:
        code = chain.new_code()
        try:
            with transaction.atomic():
                PaperCode.objects.create(
                    vote=vote,
                    voter=voter,
                    digest=chain.code_digest(code),
                    issued_by=actor,
                    issued_at=now,
                    received_by=(received_by or voter.display_name)[:50],
                )
        except IntegrityError as exc:  # the same voter issued at this moment by another worker
            raise ValidationError(
                {"voters": messages["issued"] % {"names": voter.display_name}}, code="issued"
            ) from exc
        issued.append((voter, code))
    return issued


def find_code(code: str) -> PaperCode | None:
    """The unspent paper code `code` stands for, with its vote, or None."""
    return (
        PaperCode.objects.filter(digest=chain.code_digest(code or ""), used=False)
        .select_related("vote__area")
        .first()
    )


@transaction.atomic
def cast_with_code(
    *, code: str, option_ids: Iterable, vote: Vote | None = None, entered_by=None, now: datetime | None = None
):
    """A ballot cast with a paper code: by the voter on the code page, or entered by a worker from the paper
    ballot handed in (`entered_by`). The code is spent; its voter's turnout is written, so a second way of
    voting is refused for them. `vote`, when given, must be the code's vote."""
    paper = (
        # of=self: not the voter's row too — a ballot entered meanwhile needs a key-share lock on it for its
        # turnout's foreign key, and would wait for us while we wait for its vote lock (a deadlock)
        PaperCode.objects.select_for_update(of=("self",))
        .select_related("voter")
        .filter(digest=chain.code_digest(code or ""))
        .first()
    )
    if paper is None or (vote is not None and paper.vote_id != vote.pk):
        raise ValidationError({"code": _("投票码无效。")}, code="invalid_code")
    if paper.used:
        raise ValidationError({"code": _("该投票码已使用。")}, code="used_code")
    result = _cast(
        vote=vote or paper.vote,
        voter=paper.voter,
        option_ids=option_ids,
        now=now,
        channel=Channel.PAPER,
        entered_by=entered_by,
    )
    paper.used = True
    paper.save(update_fields=["used"])
    return result


@transaction.atomic
def cast_paper(*, actor, vote: Vote, code: str, option_ids: Iterable, now: datetime | None = None):
    """The paper ballot handed in with its code, entered by a worker; the code is then spent."""
    require_manage(actor, vote)
    return cast_with_code(code=code, option_ids=option_ids, vote=vote, entered_by=actor, now=now)


def receipt_choices(ballot: Ballot) -> list[str] | None:
    """What a receipt shows of the choices: the labels for an open ballot; None for a secret one — a receipt
    proves the ballot is in the chain, and must not prove to anyone else how its holder voted
    (docs/voting.md, "Receipts and coercion")."""
    if ballot.vote.secret:
        return None
    return [c.option.label for c in ballot.choices.all()]


def find_receipt(*, vote: Vote, code: str) -> Ballot | None:
    """The ballot a receipt code stands for (its choices prefetched), or None."""
    return (
        Ballot.objects.filter(vote=vote, receipt_digest=chain.code_digest(code or ""))
        .select_related("vote")
        .prefetch_related("choices__option")
        .first()
    )
