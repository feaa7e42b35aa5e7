"""Creating, publishing and closing votes. Closing counts the ballots and keeps the result and the chain's
last link on the vote; `close_due_votes` does it for every vote past its window (the clock's task)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.portal.submissions import create_once
from grassroots.voting import selectors
from grassroots.voting.models import Elector, Electorate, Option, Vote, VoteStatus
from grassroots.voting.services import chain
from grassroots.voting.services.ballots import lock, require_manage
from grassroots.voting.services.tally import tally

# What the vote's organizer sets (`create_vote`'s arguments besides its options, electors and purpose), named
# once for the page's form and the API's input.
VOTE_FIELDS = (
    "area",
    "title",
    "description",
    "electorate",
    "opens_at",
    "closes_at",
    "quorum_percent",
    "majority",
    "secret",
    "min_choices",
    "max_choices",
)


def _validate(vote: Vote, labels: list[str], electors: list) -> None:
    errors: dict[str, str] = {}
    if not vote.title.strip():
        errors["title"] = _("请填写投票事项。")
    if vote.closes_at <= vote.opens_at:
        errors["closes_at"] = _("截止时间必须晚于开始时间。")
    if len(labels) < 2:
        errors["options"] = _("请至少填写两个选项。")
    elif len(set(labels)) != len(labels):
        errors["options"] = _("选项不能重复。")
    if vote.min_choices < 1 or vote.max_choices < vote.min_choices:
        errors["max_choices"] = _("最多选择项数不能少于最少选择项数，且至少为 1。")
    elif labels and vote.max_choices > len(labels):
        errors["max_choices"] = _("最多选择项数不能超过选项数。")
    if not 0 <= vote.quorum_percent <= 100:
        errors["quorum_percent"] = _("最低参与比例应在 0 至 100 之间。")
    if vote.electorate == Electorate.REPRESENTATIVES and not electors:
        errors["electors"] = _("该区域没有在任的居民代表，请先登记居民代表或填写投票人名单。")
    elif vote.electorate == Electorate.LIST and not electors:
        errors["electors"] = _("请填写投票人名单。")
    if vote.area.retired:
        errors["area"] = _("该区域已撤销。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_vote(
    *,
    actor,
    area,
    title: str,
    options: Iterable[str],
    electorate: str,
    opens_at: datetime,
    closes_at: datetime,
    majority: str,
    quorum_percent: int = 50,
    secret: bool = True,
    min_choices: int = 1,
    max_choices: int = 1,
    description: str = "",
    purpose: str = "",
    electors: Iterable = (),
    submission: str = "",
) -> Vote:
    """A draft vote with its options (and its list of electors for a list; for representatives the list
    given, else the standing representatives living in `area` now). `submission`: the form's token — the
    same form posted again gives the vote it made (portal/submissions.py)."""
    vote = Vote(
        area=area,
        title=title.strip(),
        description=description,
        purpose=purpose,
        electorate=electorate,
        opens_at=opens_at,
        closes_at=closes_at,
        majority=majority,
        quorum_percent=quorum_percent,
        secret=secret,
        min_choices=min_choices,
        max_choices=max_choices,
        created_by=actor,
    )
    require_manage(actor, vote)
    labels = [label.strip() for label in options if label and label.strip()]
    electors = list(electors)
    if electorate == Electorate.REPRESENTATIVES and not electors:  # the area's standing representatives
        electors = list(selectors.standing_representatives(area))
    _validate(vote, labels, electors)

    def create(token: str) -> Vote:
        vote.submission = token
        vote.save()
        Option.objects.bulk_create(
            [Option(vote=vote, label=label, position=i) for i, label in enumerate(labels)]
        )
        Elector.objects.bulk_create(
            [Elector(vote=vote, user=user) for user in {u.pk: u for u in electors}.values()]
        )
        return vote

    return create_once(Vote, submission=submission, create=create, created_by=actor)


@transaction.atomic
def publish_vote(*, actor, vote: Vote, now: datetime | None = None) -> Vote:
    """Open the vote to its electorate: ballots are taken from `opens_at` to `closes_at`."""
    now = now or timezone.now()
    require_manage(actor, vote)
    vote = lock(vote)
    if vote.status != VoteStatus.DRAFT:
        raise ValidationError(_("该投票已发布。"), code="published")
    if vote.closes_at <= now:
        raise ValidationError({"closes_at": _("截止时间已过，请先修改。")}, code="past")
    vote.status, vote.published_at = VoteStatus.PUBLISHED, now
    vote.save(update_fields=["status", "published_at"])
    return vote


def _close(vote: Vote, now: datetime) -> Vote:
    vote.chain_seq, vote.chain_head = chain.head(vote)
    if vote.chain_seq == 0:
        vote.chain_head = chain.GENESIS
    if vote.closes_at > now:  # closed early: no ballot is taken from now on
        vote.closes_at = max(now, vote.opens_at + timezone.timedelta(microseconds=1))
    vote.result = tally(vote)
    vote.status, vote.closed_at = VoteStatus.CLOSED, now
    vote.save(update_fields=["chain_seq", "chain_head", "closes_at", "result", "status", "closed_at"])
    return vote


@transaction.atomic
def close_vote(*, actor, vote: Vote, now: datetime | None = None) -> Vote:
    """Close a published vote now (or after its window), count it and publish the result."""
    now = now or timezone.now()
    require_manage(actor, vote)
    vote = lock(vote)
    if vote.status != VoteStatus.PUBLISHED:
        raise ValidationError(_("只能结束已发布的投票。"), code="not_published")
    return _close(vote, now)


def close_due_votes(*, now: datetime | None = None) -> dict:
    """Close every published vote whose window has passed (the clock's task; idempotent: a closed vote is
    not counted again)."""
    now = now or timezone.now()
    closed = 0
    for pk in Vote.objects.filter(status=VoteStatus.PUBLISHED, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            vote = Vote.objects.select_for_update(of=("self",)).select_related("area").get(pk=pk)
            if vote.status == VoteStatus.PUBLISHED and vote.closes_at <= now:
                _close(vote, now)
                closed += 1
    return {"closed": closed}


def results_visible(vote: Vote) -> bool:
    return vote.status == VoteStatus.CLOSED and vote.result is not None


__all__ = ["close_due_votes", "close_vote", "create_vote", "publish_vote", "selectors"]
