"""Step 5, the public evaluation. `start_evaluation` (the matter's transition) opens the round's window for
the community's `evaluation_days`; verified residents living in the matter's area rate it
满意 / 基本满意 / 不满意 with a comment, one rating per resident and round
(unique in the database: two requests at once → one).
When the window has closed the clock counts the round: the satisfaction rate is (满意 + 基本满意) / ratings;
at or above the round's threshold (the community's `satisfaction_percent`, default 60 %) the matter is done,
below it (or with no rating at all) it goes back to execution for a new round with the unsatisfied comments
as the reasons. Street officials may reopen a done matter (`street_reopen`). A community's numbers are kept on
its settings page (`update_settings`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.selfgov import selectors
from grassroots.selfgov.models import CommunitySetting, Evaluation, Matter, MatterState, Rating, RatingLevel
from grassroots.workflow.services import transition

REASONS_MAX = 1500


def satisfaction(satisfied: int, basic: int, unsatisfied: int) -> Decimal | None:
    """(满意 + 基本满意) / ratings in percent, two places; None without a rating."""
    total = satisfied + basic + unsatisfied
    if not total:
        return None
    return (Decimal(satisfied + basic) * 100 / total).quantize(Decimal("0.01"))


def reaches(satisfied: int, basic: int, unsatisfied: int, threshold: Decimal) -> bool:
    """Exact arithmetic at the edge: (s + b) × 100 ≥ threshold × ratings (3 of 5 at 60 % passes)."""
    total = satisfied + basic + unsatisfied
    return total > 0 and Decimal(satisfied + basic) * 100 >= Decimal(threshold) * total


def counts(evaluation: Evaluation) -> dict:
    """The round's ratings by level: one aggregate query."""
    return evaluation.ratings.aggregate(
        satisfied=Count("pk", filter=Q(level=RatingLevel.SATISFIED)),
        basic=Count("pk", filter=Q(level=RatingLevel.BASIC)),
        unsatisfied=Count("pk", filter=Q(level=RatingLevel.UNSATISFIED)),
    )


def rate(
    *, user, evaluation: Evaluation, level: str, comment: str = "", now: datetime | None = None
) -> Rating:
    """A verified resident of the matter's area rates the round, once, while its window is open."""
    matter = evaluation.matter
    if not selectors.may_take_part(user, matter):
        if user.is_authenticated and not user.identity_verified:
            raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能参加评议。"))
        raise PermissionDenied(_("只有本事项涉及范围内的居民可以参加评议。"))
    if not evaluation.is_open_at(now):
        raise ValidationError({"level": _("本轮评议已结束（或尚未开始），不能再评价。")}, code="closed")
    if level not in RatingLevel.values:
        raise ValidationError({"level": _("请选择满意、基本满意或不满意。")})
    if level == RatingLevel.UNSATISFIED and not (comment or "").strip():
        raise ValidationError({"comment": _("选择不满意时请写明原因。")})
    try:
        with transaction.atomic():
            return Rating.objects.create(
                evaluation=evaluation, user=user, level=level, comment=(comment or "").strip()[:1000]
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已评价过本轮。"), code="duplicate") from exc


def _reasons(evaluation: Evaluation, rate_: Decimal | None) -> str:
    head = (
        _("本轮无居民参与评议。")
        if rate_ is None
        else _("满意率 %(rate)s%%，低于门槛 %(threshold)s%%。")
        % {"rate": rate_, "threshold": evaluation.threshold}
    )
    comments = list(
        evaluation.ratings.filter(level=RatingLevel.UNSATISFIED)
        .exclude(comment="")
        .order_by("created_at", "pk")
        .values_list("comment", flat=True)[:20]
    )
    text = head + ("" if not comments else _("不满意的原因：") + "；".join(comments))
    return text[:REASONS_MAX]


def close_evaluation(evaluation: Evaluation, *, now: datetime | None = None) -> Evaluation:
    """Count a round whose window has closed and take the matter's step: done, or back to execution with the
    reasons. Idempotent (a closed round is left as it is). The platform takes the step (the clock)."""
    now = now or timezone.now()
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.closed_at is not None or evaluation.closes_at > now:
            return evaluation
        numbers = counts(evaluation)
        evaluation.satisfied, evaluation.basic, evaluation.unsatisfied = (
            numbers["satisfied"],
            numbers["basic"],
            numbers["unsatisfied"],
        )
        evaluation.passed = reaches(**numbers, threshold=evaluation.threshold)
        evaluation.closed_at = now
        evaluation.save()
        matter = (
            Matter.objects.select_for_update(of=("self",))
            .select_related("area", "community")
            .get(pk=evaluation.matter_id)
        )
        if matter.state == MatterState.EVALUATION and matter.round == evaluation.round:
            if evaluation.passed:
                transition(matter, "finish", actor=None, authorized=True)
            else:
                reasons = _reasons(evaluation, satisfaction(**numbers))
                transition(matter, "reopen", actor=None, authorized=True, comment=reasons)
    return evaluation


def close_due_evaluations(*, now: datetime | None = None) -> dict:
    """The clock's task: every round whose window has passed is counted and settled."""
    now = now or timezone.now()
    closed = 0
    for evaluation in Evaluation.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("pk"):
        if close_evaluation(evaluation, now=now).closed_at is not None:
            closed += 1
    return {"closed": closed}


def update_settings(*, actor, community: Area, **values) -> CommunitySetting:
    """A community's numbers for self-governance (its staff and the officials above)."""
    if community.level != Level.COMMUNITY or not has_perm(actor, "selfgov.manage", community):
        raise PermissionDenied(_("您无权修改该社区的自治参数。"))
    with transaction.atomic():
        row = CommunitySetting.objects.select_for_update().filter(area=community).first()
        row = row or CommunitySetting(area=community)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
    return row
