"""Assessment schemes (考核): define a scheme and its items, compute it for all targets, score manual items by
hand with a reason. `compute_scheme` is the one computation: a fixed number of queries for a whole scheme
(plus one call per computed item to its figure provider, which answers for all targets with aggregate
queries); `request_compute` runs it as a background task."""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import under_q
from grassroots.core.assessments.models import (
    Assessment,
    AssessmentItem,
    AssessmentScheme,
    AssessmentScore,
    ComputeStatus,
    Method,
    ScoreSource,
)
from grassroots.core.assessments.rules import MANAGE
from grassroots.documents.citing import citable_for
from grassroots.figures.registry import CATALOG, figures_for, is_registered
from grassroots.portal.submissions import create_once

CENT = Decimal("0.01")
BATCH = 500
logger = logging.getLogger(__name__)


def _require_manage(actor, scheme: AssessmentScheme) -> None:
    if not has_perm(actor, MANAGE, scheme.area):
        raise PermissionDenied(_("只有考核单位可以修改考核方案或评分。"))


@transaction.atomic
def create_scheme(
    *, actor, area: Area, year: int, level: int, name: str = "", description: str = ""
) -> AssessmentScheme:
    if not has_perm(actor, MANAGE, area):
        raise PermissionDenied(_("您没有权限在该区域组织考核。"))
    errors = {}
    if level not in Level.values or level <= area.level:
        errors["level"] = _("考核对象须是考核单位下级的某一层级。")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("请输入正确的年度。")
    if errors:
        raise ValidationError(errors)
    name = (name or "").strip() or _("%(area)s %(year)s 年度%(level)s考核") % {
        "area": area.name,
        "year": year,
        "level": Level(level).label,
    }
    scheme = AssessmentScheme(
        area=area, year=year, level=level, name=name, description=description or "", created_by=actor
    )
    try:
        with transaction.atomic():
            scheme.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("该单位本年度对这一层级已有考核方案。")}) from exc
    return scheme


def _validate_item(method: str, provider: str, weight) -> tuple[str, Decimal]:
    errors = {}
    try:
        weight = Decimal(str(weight)).quantize(CENT)
    except (InvalidOperation, ValueError):
        errors["weight"] = _("请输入分值。")
    else:
        if weight <= 0 or weight > 1000:
            errors["weight"] = _("分值须大于 0。")
    if method not in Method.values:
        errors["method"] = _("请选择评分方式。")
    elif method == Method.COMPUTED and provider not in CATALOG and not is_registered(provider):
        errors["provider"] = _("请选择数据来源。")
    if errors:
        raise ValidationError(errors)
    return (provider if method == Method.COMPUTED else ""), weight


@transaction.atomic
def add_item(
    *,
    actor,
    scheme: AssessmentScheme,
    name: str,
    weight,
    method: str,
    provider: str = "",
    description: str = "",
    standard_item=None,
    submission: str = "",
) -> AssessmentItem:
    """An item of `scheme`, last in its order. `submission`: the form's token — the same form posted again
    gives the item it made (portal/submissions.py)."""
    _require_manage(actor, scheme)
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写考核项目。")})
    cited = standard_item is not None
    if cited and not citable_for(scheme.area, scheme.level).filter(pk=standard_item.pk).exists():
        raise ValidationError({"standard_item": _("所引条目须是适用于考核对象的现行党建工作指导标准条目。")})
    provider, weight = _validate_item(method, provider, weight)

    def create(token: str) -> AssessmentItem:
        return AssessmentItem.objects.create(
            scheme=scheme,
            name=name.strip(),
            weight=weight,
            method=method,
            provider=provider,
            description=description or "",
            standard_item=standard_item,
            position=scheme.items.count() + 1,
            created_by=actor,
            submission=token,
        )

    return create_once(AssessmentItem, submission=submission, create=create, created_by=actor)


@transaction.atomic
def remove_item(*, actor, item: AssessmentItem) -> None:
    _require_manage(actor, item.scheme)
    scheme = item.scheme
    item.delete()
    _refresh_totals(scheme)


@transaction.atomic
def copy_scheme(*, actor, scheme: AssessmentScheme, year: int) -> AssessmentScheme:
    """Start `year` from `scheme`: the same area, level and items (scores are not copied)."""
    copy = create_scheme(
        actor=actor,
        area=scheme.area,
        year=year,
        level=scheme.level,
        name=scheme.name.replace(str(scheme.year), str(year)),
        description=scheme.description,
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(
            scheme=copy,
            name=i.name,
            weight=i.weight,
            method=i.method,
            provider=i.provider,
            description=i.description,
            standard_item=i.standard_item,
            position=i.position,
        )
        for i in scheme.items.all()
    )
    return copy


# --- computation ------------------------------------------------------------------------------------------
KIND_ORDER = {
    PartyOrgKind.COMMITTEE: 0,
    PartyOrgKind.GENERAL_BRANCH: 1,
    PartyOrgKind.BRANCH: 2,
    PartyOrgKind.GROUP: 3,
}


def leading_orgs(targets: list[Area]) -> dict[int, int]:
    """{area id: id of the area's leading Party organization} (committee before general branch before
    branch; one query)."""
    best: dict[int, tuple[int, int]] = {}
    rows = PartyOrg.objects.filter(area__in=[t.pk for t in targets], retired=False).values_list(
        "area_id", "kind", "pk"
    )
    for area_id, kind, pk in rows:
        key = (KIND_ORDER.get(kind, 9), pk)
        if area_id not in best or key < best[area_id]:
            best[area_id] = key
    return {area_id: key[1] for area_id, key in best.items()}


def targets_of(scheme: AssessmentScheme) -> list[Area]:
    return list(
        Area.objects.filter(under_q(scheme.area.path, "path"), level=scheme.level, retired=False).order_by(
            "path"
        )
    )


def rank(assessments: list[Assessment]) -> None:
    """Set `rank` (in the scheme), `rank_in_peers` and `peers` (same parent area) by total, highest first;
    equal totals share a rank (1, 2, 2, 4); no total, no rank."""

    def assign(group: list[Assessment], attr: str) -> None:
        scored = sorted((a for a in group if a.total is not None), key=lambda a: -a.total)
        previous, position = None, 0
        for index, a in enumerate(scored, start=1):
            if a.total != previous:
                position, previous = index, a.total
            setattr(a, attr, position)
        for a in group:
            if a.total is None:
                setattr(a, attr, None)

    assign(assessments, "rank")
    groups: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        groups[a.peer_group].append(a)
    for group in groups.values():
        assign(group, "rank_in_peers")
        for a in group:
            a.peers = len(group)


def _computed_score(row: AssessmentScore, item: AssessmentItem, figure, now) -> None:
    rate = figure.normalized_rate if figure is not None else None
    row.detail = (figure.detail if figure is not None else "")[:300]
    row.evidence_url = (figure.url if figure is not None else "")[:500]
    row.reason, row.scored_by = "", None
    if rate is None:
        row.source, row.figure, row.score, row.scored_at = ScoreSource.MISSING, None, None, None
    else:
        row.source, row.figure, row.scored_at = ScoreSource.COMPUTED, rate, now
        row.score = (item.weight * rate).quantize(CENT)


def compute_scheme(*, scheme: AssessmentScheme) -> int:
    """Compute every computed item for every target of the scheme, keep the hand scores, and set totals and
    ranks. Returns the number of targets. Runs inline (the task calls it too)."""
    with transaction.atomic():
        scheme = AssessmentScheme.objects.select_for_update().select_related("area").get(pk=scheme.pk)
        now = timezone.now()
        targets = targets_of(scheme)
        target_ids = {t.pk for t in targets}
        scheme.assessments.exclude(area_id__in=target_ids).delete()  # areas retired since the last run
        existing = set(scheme.assessments.values_list("area_id", flat=True))
        Assessment.objects.bulk_create(
            [
                Assessment(scheme=scheme, area=t, peer_group=t.path[: -Area.steplen])
                for t in targets
                if t.pk not in existing
            ],
            batch_size=BATCH,
        )
        assessments = {a.area_id: a for a in scheme.assessments.all()}
        items = list(scheme.items.all())
        rows = {
            (s.assessment_id, s.item_id): s for s in AssessmentScore.objects.filter(assessment__scheme=scheme)
        }
        to_create, to_update, problems = [], [], []
        for item in items:
            figures = (
                _figures(item, targets, scheme.year, problems) if item.method == Method.COMPUTED else None
            )
            for target in targets:
                assessment = assessments[target.pk]
                row = rows.get((assessment.pk, item.pk))
                fresh = row is None
                if fresh:
                    row = AssessmentScore(assessment=assessment, item=item)
                    rows[(assessment.pk, item.pk)] = row
                if item.method == Method.COMPUTED:
                    _computed_score(row, item, (figures or {}).get(target.pk), now)
                elif row.source != ScoreSource.MANUAL:
                    row.source, row.figure, row.score = ScoreSource.MISSING, None, None
                elif not fresh:
                    continue  # a hand score stays as it is
                (to_create if fresh else to_update).append(row)
        AssessmentScore.objects.bulk_create(to_create, batch_size=BATCH)
        AssessmentScore.objects.bulk_update(
            to_update,
            ["figure", "score", "source", "detail", "evidence_url", "reason", "scored_by", "scored_at"],
            batch_size=BATCH,
        )
        weights = {item.pk: item.weight for item in items}
        by_assessment: dict[int, list[AssessmentScore]] = defaultdict(list)
        for (assessment_id, _item_id), row in rows.items():
            by_assessment[assessment_id].append(row)
        orgs = leading_orgs(targets)
        for assessment in assessments.values():
            _set_total(assessment, by_assessment[assessment.pk], weights)
            assessment.party_org_id = orgs.get(assessment.area_id)
            assessment.computed_at = now
        _save_ranks(list(assessments.values()), extra=["party_org", "computed_at"])
        scheme.compute_status, scheme.computed_at = ComputeStatus.DONE, now
        scheme.compute_error = (
            _("以下数据来源暂不可用，按“暂无数据”计：%(names)s") % {"names": "、".join(problems)}
            if problems
            else ""
        )
        scheme.save(update_fields=["compute_status", "compute_error", "computed_at"])
    return len(targets)


def _figures(item: AssessmentItem, targets: list[Area], year: int, problems: list[str]):
    """The provider's figures, or None (暂无数据) when it has none registered or its tables cannot be read
    (a part installed but not migrated yet): one broken source must not stop the whole scheme."""
    try:
        with transaction.atomic():
            return figures_for(item.provider, targets, year)
    except DatabaseError:
        logger.exception("figure provider %s failed", item.provider)
        problems.append(item.provider_label)
        return None


def _set_total(assessment: Assessment, scores, weights: dict[int, Decimal]) -> None:
    scored = [s for s in scores if s.score is not None and s.item_id in weights]
    assessment.total = sum((s.score for s in scored), Decimal(0)).quantize(CENT) if scored else None
    assessment.max_total = sum((weights[s.item_id] for s in scored), Decimal(0)).quantize(CENT)


def _save_ranks(assessments: list[Assessment], extra: list[str] = ()) -> None:
    rank(assessments)
    Assessment.objects.bulk_update(
        assessments,
        ["total", "max_total", "rank", "rank_in_peers", "peers", *extra],
        batch_size=BATCH,
    )


def _refresh_totals(scheme: AssessmentScheme) -> None:
    """Totals and ranks again from the stored scores (after a hand score or a removed item)."""
    weights = dict(scheme.items.values_list("pk", "weight"))
    by_assessment: dict[int, list[AssessmentScore]] = defaultdict(list)
    for row in AssessmentScore.objects.filter(assessment__scheme=scheme).only(
        "assessment_id", "item_id", "score"
    ):
        by_assessment[row.assessment_id].append(row)
    assessments = list(scheme.assessments.all())
    for assessment in assessments:
        _set_total(assessment, by_assessment[assessment.pk], weights)
    _save_ranks(assessments)


@transaction.atomic
def request_compute(*, actor, scheme: AssessmentScheme) -> AssessmentScheme:
    """Queue the computation as a background task (started once the transaction commits)."""
    _require_manage(actor, scheme)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.compute_status in (ComputeStatus.QUEUED, ComputeStatus.RUNNING):
        return scheme
    scheme.compute_status, scheme.compute_error = ComputeStatus.QUEUED, ""
    scheme.save(update_fields=["compute_status", "compute_error"])
    from grassroots.core.assessments.tasks import compute_scheme_task

    transaction.on_commit(lambda: compute_scheme_task.enqueue(scheme.pk))
    return scheme


def run_compute(scheme_id: int) -> str:
    """What the task does: mark running, compute, or record the error."""
    updated = AssessmentScheme.objects.filter(pk=scheme_id).update(compute_status=ComputeStatus.RUNNING)
    if not updated:
        return "missing"
    scheme = AssessmentScheme.objects.get(pk=scheme_id)
    try:
        compute_scheme(scheme=scheme)
    except Exception as exc:
        AssessmentScheme.objects.filter(pk=scheme_id).update(
            compute_status=ComputeStatus.FAILED, compute_error=str(exc)[:2000]
        )
        raise
    return ComputeStatus.DONE


# --- hand scores -------------------------------------------------------------------------------------------
@transaction.atomic
def score_by_hand(
    *, actor, assessment: Assessment, item: AssessmentItem, score, reason: str
) -> AssessmentScore:
    """Score a manual item of one target (0 to the item's weight) with the reason; totals and ranks of the
    scheme follow."""
    scheme = assessment.scheme
    _require_manage(actor, scheme)
    if item.scheme_id != scheme.pk:
        raise ValidationError({"item": _("该项目不属于这个考核方案。")})
    if item.method != Method.MANUAL:
        raise ValidationError({"item": _("该项目由平台数据自动计算，不能人工评分。")})
    errors = {}
    try:
        value = Decimal(str(score)).quantize(CENT)
    except (InvalidOperation, ValueError):
        errors["score"] = _("请输入得分。")
    else:
        if not Decimal(0) <= value <= item.weight:
            errors["score"] = _("得分须在 0 到 %(weight)s 之间。") % {"weight": item.weight.normalize()}
    if not (reason or "").strip():
        errors["reason"] = _("人工评分须说明理由。")
    if errors:
        raise ValidationError(errors)
    row, _created = AssessmentScore.objects.update_or_create(
        assessment=assessment,
        item=item,
        defaults={
            "figure": None,
            "score": value,
            "source": ScoreSource.MANUAL,
            "detail": "",
            "evidence_url": "",
            "reason": reason.strip(),
            "scored_by": actor,
            "scored_at": timezone.now(),
        },
    )
    _refresh_totals(scheme)
    return row
