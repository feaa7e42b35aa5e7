"""Reads of steps 4 and 5: a matter's execution and evaluation records (the page, the API), the progress of
matters in percent (an annotation: the weights of the round's milestones done), the roll-up figures of the
figure registry (`selfgov.execution_progress`, `selfgov.matters_evaluated`: aggregate queries per subtree),
and what awaits a resident's rating. Everything is read among the matters the user sees (selectors)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.rollup import per_subtree
from grassroots.areas.subtree import lies_under
from grassroots.selfgov import selectors
from grassroots.selfgov.models import (
    Evaluation,
    Matter,
    MatterState,
    Milestone,
    Rating,
    Supervisor,
    UpdatePhoto,
)


def with_progress(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    """Annotate `progress_percent`: the weights of the current round's milestones done (one subquery)."""
    done = (
        Milestone.objects.filter(matter=OuterRef("pk"), round=OuterRef("round"), done_on__isnull=False)
        .order_by()
        .values("matter")
        .annotate(s=Sum("weight"))
        .values("s")
    )
    return queryset.annotate(progress_percent=Coalesce(Subquery(done, output_field=IntegerField()), 0))


def visible_evaluations(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(matter__in=selectors.visible_matters(user).values("pk"))


def get_evaluation_or_404(user, pk) -> Evaluation:
    from django.http import Http404

    try:
        return visible_evaluations(user).select_related("matter", "matter__area").get(pk=pk)
    except (Evaluation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class Execution:
    milestones: list = field(default_factory=list)  # the current round's
    earlier: list = field(default_factory=list)  # earlier rounds' milestones
    updates: list = field(default_factory=list)
    spendings: list = field(default_factory=list)
    spent: object = 0
    checks: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    current: Evaluation | None = None
    live: dict | None = None  # the open round's counts so far
    mine: Rating | None = None
    progress: int = 0


def execution_of(user, matter: Matter) -> Execution:
    """A matter's execution and evaluation records for its page: a bounded number of queries."""
    from grassroots.selfgov.services.evaluation import counts, satisfaction

    milestones = list(matter.milestones.select_related("done_by"))
    out = Execution(
        milestones=[m for m in milestones if m.round == matter.round],
        earlier=[m for m in milestones if m.round != matter.round],
    )
    out.progress = sum(m.weight for m in out.milestones if m.done_on)
    out.updates = list(
        matter.updates.select_related("author").prefetch_related(
            Prefetch("photos", queryset=UpdatePhoto.objects.order_by("pk"))
        )
    )
    out.spendings = list(matter.spendings.all())
    out.spent = sum((s.amount for s in out.spendings), 0)
    out.checks = list(matter.checks.select_related("supervisor"))
    out.evaluations = list(matter.evaluations.order_by("-round"))
    out.current = next((e for e in out.evaluations if e.round == matter.round), None)
    for evaluation in out.evaluations:
        evaluation.rate = satisfaction(evaluation.satisfied, evaluation.basic, evaluation.unsatisfied)
    if out.current is not None and out.current.closed_at is None:
        out.live = counts(out.current)
        out.live["rate"] = satisfaction(**{k: out.live[k] for k in ("satisfied", "basic", "unsatisfied")})
        out.live["total"] = out.live["satisfied"] + out.live["basic"] + out.live["unsatisfied"]
        if user.is_authenticated:
            out.mine = out.current.ratings.filter(user=user).first()
    return out


def is_supervisor(user, matter: Matter) -> bool:
    return (
        user.is_authenticated
        and Supervisor.objects.filter(community_id=matter.community_id, user=user).exists()
    )


def to_rate(user, matters: Sequence[Matter], now=None) -> list[Matter]:
    """Of `matters` (the resident's active ones), those in evaluation whose open round the user may still
    rate: one query."""
    now = now or timezone.now()
    if not user.is_authenticated or not user.identity_verified or user.home_area_id is None:
        return []
    candidates = [
        m
        for m in matters
        if m.state == MatterState.EVALUATION and lies_under(user.home_area.path, m.area.path)
    ]
    if not candidates:
        return []
    open_rounds = {
        e.matter_id: e
        for e in Evaluation.objects.filter(
            matter__in=candidates,
            round=F("matter__round"),
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        ).exclude(ratings__user=user)
    }
    out = []
    for matter in candidates:
        if matter.pk in open_rounds:
            matter.open_evaluation = open_rounds[matter.pk]
            out.append(matter)
    return out


# --- figures ---------------------------------------------------------------------------------------------
def progress_rollup(paths: Sequence[str]) -> dict[str, dict]:
    """{area path: {"done": weights done, "planned": weights planned}} of the current rounds of the matters in
    execution under each path: one aggregate query per path length. Each matter's plan weighs 100, so
    done / planned is the average progress of the matters in execution."""
    rows = Milestone.objects.filter(matter__state=MatterState.EXECUTION, round=F("matter__round"))
    return per_subtree(
        rows,
        paths,
        path_field="matter__area__path",
        done=Sum("weight", filter=Q(done_on__isnull=False)),
        planned=Sum("weight"),
    )


def execution_progress(targets: Sequence, year: int) -> dict:
    """The figure `selfgov.execution_progress`: the average progress of the matters in execution under each
    target (today's state: the year does not change it)."""
    from grassroots.figures.registry import Figure

    out = {}
    lines = progress_rollup([t.path for t in targets])
    for target in targets:
        line = lines.get(target.path)
        if not line or not line["planned"]:
            continue
        out[target.pk] = Figure(
            rate=line["done"] / line["planned"],
            detail=_("执行中事项完成权重 %(done)d / %(planned)d") % line,
            url=reverse("selfgov:board") + f"?area={target.pk}",
        )
    return out


def matters_evaluated(targets: Sequence, year: int) -> dict:
    """The figure `selfgov.matters_evaluated`: of the evaluation rounds closed in `year` under each target,
    the share that reached the satisfaction threshold (one aggregate query per path length)."""
    from grassroots.figures.registry import Figure

    rows = Evaluation.objects.filter(closed_at__year=year)
    lines = per_subtree(
        rows,
        [t.path for t in targets],
        path_field="matter__area__path",
        closed=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
    )
    out = {}
    for target in targets:
        line = lines.get(target.path)
        if not line or not line["closed"]:
            continue
        out[target.pk] = Figure(
            rate=line["passed"] / line["closed"],
            detail=_("评议满意 %(passed)d / 完成评议 %(closed)d 轮") % line,
            url=reverse("selfgov:board") + f"?area={target.pk}",
        )
    return out
