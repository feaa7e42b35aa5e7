"""Casting ballots: online by the voter, with a paper code, or witnessed in person; checking a receipt.

Every way goes through `_cast`: the vote's row is locked (ballots of one vote queue behind each other, so the
chain cannot fork), the window is checked against the clock, the voter must be a verified member of the
electorate, the choices are checked, then one `Turnout` row (unique per voter and per household in the
database: the second ballot of a voter or household is refused even under concurrent requests), then the
ballot and its choices are appended to the chain. The receipt code is returned once; only its digest stays.
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
    return Vote.objects.select_for_update().select_related("area").get(pk=vote.pk)


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
    valid = set(vote.options.values_list("pk", flat=True))
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


def _cast(
    *,
    vote: Vote,
    voter,
    option_ids: Iterable,
    now: datetime | None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    witness: str = "",
) -> tuple[Ballot, str]:
    now = now or timezone.now()
    vote = lock(vote)
    require_open(vote, now)
    if not selectors.is_eligible(vote, voter):
        raise ValidationError(
            _("您不在本次投票的投票人范围内（须为已实名核验的居民）。"), code="not_eligible"
        )
    chosen = check_choices(vote, option_ids)
    household = selectors.household_of(voter) if vote.by_household else None
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
        receipt_digest=chain.code_digest(code),
        prev_hash=prev,
    )
    ballot.content_hash = chain.content_hash(ballot, chosen)
    ballot.hash = chain.link_hash(prev, ballot.content_hash)
    ballot.save()
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, option_id=pk) for pk in chosen])
    return ballot, code


@transaction.atomic
def cast_ballot(*, voter, vote: Vote, option_ids: Iterable, now: datetime | None = None):
    """The voter's own ballot from their phone; returns (ballot, receipt code)."""
    return _cast(vote=vote, voter=voter, option_ids=option_ids, now=now)


@transaction.atomic
def cast_witnessed(
    *, actor, vote: Vote, voter, option_ids: Iterable, witness: str, now: datetime | None = None
):
    """A ballot given in person and entered by a worker, with a witness named."""
    require_manage(actor, vote)
    if not witness.strip():
        raise ValidationError({"witness": _("请填写见证人。")})
    return _cast(
        vote=vote,
        voter=voter,
        option_ids=option_ids,
        now=now,
        channel=Channel.WITNESSED,
        entered_by=actor,
        witness=witness.strip(),
    )


@transaction.atomic
def issue_paper_code(*, actor, vote: Vote, voter) -> str:
    """Print a single-use code for a voter without a phone; returns the code (shown once)."""
    require_manage(actor, vote)
    if not selectors.is_eligible(vote, voter):
        raise ValidationError(_("该居民不在本次投票的投票人范围内。"), code="not_eligible")
    code = chain.new_code()
    try:
        with transaction.atomic():
            PaperCode.objects.create(vote=vote, voter=voter, digest=chain.code_digest(code), issued_by=actor)
    except IntegrityError as exc:
        raise ValidationError(_("已为该居民打印过投票码。"), code="issued") from exc
    return code


@transaction.atomic
def cast_paper(*, actor, vote: Vote, code: str, option_ids: Iterable, now: datetime | None = None):
    """The paper ballot handed in with its code, entered by a worker; the code is then spent."""
    require_manage(actor, vote)
    paper = (
        PaperCode.objects.select_for_update()
        .select_related("voter")
        .filter(vote=vote, digest=chain.code_digest(code or ""))
        .first()
    )
    if paper is None:
        raise ValidationError({"code": _("投票码无效。")}, code="invalid_code")
    if paper.used:
        raise ValidationError({"code": _("该投票码已使用。")}, code="used_code")
    result = _cast(
        vote=vote,
        voter=paper.voter,
        option_ids=option_ids,
        now=now,
        channel=Channel.PAPER,
        entered_by=actor,
    )
    paper.used = True
    paper.save(update_fields=["used"])
    return result


def find_receipt(*, vote: Vote, code: str) -> Ballot | None:
    """The ballot a receipt code stands for (its choices prefetched), or None."""
    return (
        Ballot.objects.filter(vote=vote, receipt_digest=chain.code_digest(code or ""))
        .prefetch_related("choices__option")
        .first()
    )
