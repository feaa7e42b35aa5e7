"""Reads of assessment schemes: which schemes a user may open, the table of results (scoped rows, ranks,
scores per item), one assessment with its evidence."""

from __future__ import annotations

from django.db.models import Avg, Count, F, FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, NullIf
from django.http import Http404

from grassroots.access.scoping import has_perm, scope_q, scoped
from grassroots.areas.models import Area
from grassroots.core.assessments.models import Assessment, AssessmentScheme, AssessmentScore
from grassroots.core.assessments.rules import MANAGE, VIEW


def visible_schemes(user) -> QuerySet[AssessmentScheme]:
    """Schemes of areas in the user's scope, and schemes in which the user may see at least one result
    (a community secretary sees the street's scheme through their own community's row)."""
    if user is None or not user.is_authenticated:
        return AssessmentScheme.objects.none()
    mine = scoped(Assessment.objects.all(), user, VIEW).values("scheme_id")
    return AssessmentScheme.objects.filter(scope_q(user, VIEW, "area__path") | Q(pk__in=mine))


def schemes_for(user, *, year=None) -> QuerySet[AssessmentScheme]:
    queryset = visible_schemes(user).select_related("area")
    if year:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "area__path", "level")


def scheme_or_404(user, pk) -> AssessmentScheme:
    try:
        return visible_schemes(user).select_related("area", "created_by").get(pk=pk)
    except (AssessmentScheme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user, scheme: AssessmentScheme) -> bool:
    return has_perm(user, MANAGE, scheme.area)


def results(user, scheme: AssessmentScheme, *, group: str | None = None) -> QuerySet[Assessment]:
    """The scheme's results the user may see, peers together (by parent area), best first; each with its
    scores (prefetched: one query for the page)."""
    queryset = (
        scoped(Assessment.objects.filter(scheme=scheme), user, VIEW)
        .select_related("area", "party_org")
        .prefetch_related(Prefetch("scores", queryset=AssessmentScore.objects.order_by("item_id")))
    )
    if group:
        queryset = queryset.filter(peer_group=group)
    return queryset.order_by("peer_group", "rank_in_peers", "area__path")


# Bands of a target's total, as a share of the full marks of its items with data (`max_total`): lower bounds.
BANDS = (0, 60, 70, 80, 90)


def results_summary(queryset: QuerySet[Assessment]) -> dict:
    """The results' denominator and spread in one aggregate: `targets`, `scored` (with a total), `unscored`
    and its share, and `bands` [(lower bound %, count)] of the scored totals against their full marks."""
    share = Cast(F("total"), FloatField()) * 100 / Cast(NullIf(F("max_total"), 0), FloatField())
    bands = {}
    for i, low in enumerate(BANDS):
        high = BANDS[i + 1] if i + 1 < len(BANDS) else None
        band = Q(share__gte=low) & (Q(share__lt=high) if high is not None else Q())
        bands[f"band_{low}"] = Count("pk", filter=Q(total__isnull=False) & band)
    found = (
        queryset.order_by()
        .annotate(share=share)
        .aggregate(targets=Count("pk"), scored=Count("pk", filter=Q(total__isnull=False)), **bands)
    )
    targets, scored = found["targets"], found["scored"]
    return {
        "targets": targets,
        "scored": scored,
        "unscored": targets - scored,
        "unscored_share": round(100 * (targets - scored) / targets, 1) if targets else None,
        "bands": [(low, found[f"band_{low}"]) for low in BANDS],
    }


# The ranking chart draws every target of the listed results (all pages) while there are at most
# CHART_TARGETS; beyond that bars would be unreadable, and it draws each peer group (the targets of one parent
# area) with the mean points of each item instead.
CHART_TARGETS = 60


def ranking_series(queryset: QuerySet[Assessment], targets: int) -> tuple[list[str], dict, bool]:
    """The ranking chart's data for all the results `queryset` lists (`targets` of them, counted already):
    (labels, {item id: [points or None per label]}, grouped). Per target in the table's order, or — above
    CHART_TARGETS — per peer group in the tree's order with each item's mean points over the group's targets
    that have them. Two or three queries, whatever the number of results."""
    listed = queryset.prefetch_related(None)
    ids = listed.order_by().values("pk")
    if targets <= CHART_TARGETS:
        rows = list(listed.values_list("pk", "area__name"))
        where = {pk: i for i, (pk, _name) in enumerate(rows)}
        points: dict = {}
        scores = AssessmentScore.objects.filter(assessment__in=ids).values_list(
            "assessment_id", "item_id", "score"
        )
        for assessment_id, item_id, score in scores:
            column = points.setdefault(item_id, [None] * len(rows))
            column[where[assessment_id]] = None if score is None else float(score)
        return [name for _pk, name in rows], points, False
    means = list(
        AssessmentScore.objects.filter(assessment__in=ids)
        .values("assessment__peer_group", "item_id")
        .annotate(points=Avg("score"))
        .order_by()
    )
    groups = sorted({row["assessment__peer_group"] for row in means})
    names = dict(Area.objects.filter(path__in=groups).values_list("path", "name"))
    where = {group: i for i, group in enumerate(groups)}
    points = {}
    for row in means:
        column = points.setdefault(row["item_id"], [None] * len(groups))
        if row["points"] is not None:
            column[where[row["assessment__peer_group"]]] = round(float(row["points"]), 2)
    return [names.get(group, group) for group in groups], points, True


def by_rank(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.order_by("rank", "area__path")


def assessment_or_404(user, pk) -> Assessment:
    queryset = scoped(Assessment.objects.all(), user, VIEW).select_related(
        "scheme", "scheme__area", "area", "party_org"
    )
    try:
        return queryset.get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scores_of(assessment: Assessment) -> list[tuple]:
    """(item, score row or None when never computed) for every item of the scheme."""
    rows = {s.item_id: s for s in assessment.scores.select_related("scored_by")}
    return [(item, rows.get(item.pk)) for item in assessment.scheme.items.all()]


def peer_results(assessment: Assessment, user) -> QuerySet[Assessment]:
    """The peers (same scheme, same parent area) the user may see, by rank."""
    return (
        scoped(
            Assessment.objects.filter(scheme=assessment.scheme, peer_group=assessment.peer_group), user, VIEW
        )
        .select_related("area")
        .order_by("rank_in_peers", "area__path")
    )
