"""Reads about people: the stored grid cadre scores (网格化干部考察), a person's assessment view, stationed
agencies with their heads' reviews."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from grassroots.access.scoping import has_perm, scope_paths, scope_q
from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.assessments.models import (
    AgencyHeadReview,
    CadreScore,
    GridRating,
    ReportState,
    StationedAgency,
    WorkReport,
)
from grassroots.core.assessments.rules import MANAGE, VIEW

User = get_user_model()


# --- the grid cadre score (stored by services.cadres.compute_cadre_scores) ---------------------------------
def visible_cadre_scores(user) -> QuerySet[CadreScore]:
    """The street officials' (and those above) cadre scores in their assessments.view scope, and everyone's
    own (a grid worker sees their score and rank, not the others')."""
    if user is None or not user.is_authenticated:
        return CadreScore.objects.none()
    return CadreScore.objects.filter(scope_q(user, VIEW, "street__path") | Q(person=user))


def cadre_scores_for(user, *, year: int, area: Area | None = None) -> QuerySet[CadreScore]:
    """The year's visible cadre scores, ranked within each street (unranked last); `area`: a street or
    above (its streets), or a community or grid (the cadres serving grids under it). Two queries a page:
    the rows with their people and streets, the grids."""
    return in_area(cadre_scores_base(user).filter(year=year), area)


def cadre_scores_base(user) -> QuerySet[CadreScore]:
    """The visible cadre scores with their people, streets and grids, in ranking order (the page and the
    API)."""
    return (
        visible_cadre_scores(user)
        .select_related("person", "street")
        .prefetch_related(Prefetch("grids", queryset=Area.objects.order_by("path")))
        .order_by("-year", "street__path", F("rank_in_peers").asc(nulls_last=True), "person__full_name", "pk")
    )


# The cadre scores chart draws every cadre the page lists (all pages) while there are at most CHART_CADRES;
# beyond that, each street with its cadres' mean score and mean grid task rate.
CHART_CADRES = 60


def cadre_chart_series(queryset: QuerySet[CadreScore], count: int) -> tuple[list[str], list, list, bool]:
    """The chart's data for all the cadre scores `queryset` lists (`count` of them, counted already):
    (labels, scores, task percentages, grouped), a missing figure None. One query whatever the number."""
    listed = queryset.prefetch_related(None)
    if count <= CHART_CADRES:
        rows = list(listed.values_list("person__full_name", "person__username", "score", "task_rate"))
        return (
            [full_name or username for full_name, username, _score, _rate in rows],
            [_number(score) for _name, _user, score, _rate in rows],
            [_percent(rate) for _name, _user, _score, rate in rows],
            False,
        )
    streets = list(
        listed.order_by()
        .values("street__path", "street__name")
        .annotate(score=Avg("score"), rate=Avg("task_rate"))
        .order_by("street__path")
    )
    return (
        [row["street__name"] for row in streets],
        [None if row["score"] is None else round(float(row["score"]), 1) for row in streets],
        [_percent(row["rate"]) for row in streets],
        True,
    )


def _number(value) -> float | None:
    return None if value is None else float(value)


def _percent(rate) -> float | None:
    """A rate 0–1 as the table shows it (CadreScore.task_percent): per cent, one decimal."""
    return None if rate is None else float((Decimal(rate) * 100).quantize(Decimal("0.1")))


def in_area(queryset: QuerySet[CadreScore], area: Area | None) -> QuerySet[CadreScore]:
    """Cadre scores of the streets under `area` (a street or above), or of the cadres serving grids under it
    (a community or a grid). The page and the API's `?area=` alike."""
    if area is None:
        return queryset
    if area.level <= Level.STREET:
        return queryset.filter(under_q(area.path, "street__path"))
    through = CadreScore.grids.through.objects.filter(under_q(area.path, "area__path"))
    return queryset.filter(pk__in=through.values("cadrescore_id"))


def may_compute(user, area: Area | None) -> bool:
    return area is not None and area.level == Level.STREET and has_perm(user, MANAGE, area)


# --- a person's assessment view --------------------------------------------------------------------------
def person_paths(person) -> list[str]:
    """Where a person works: their working grants' areas and the streets of the agencies they head."""
    paths = list(
        RoleGrant.objects.filter(user=person, area__retired=False)
        .exclude(role__in=["resident", "member", "partner_rep"])
        .values_list("area__path", flat=True)
    )
    paths += StationedAgency.objects.filter(head=person).values_list("street__path", flat=True)
    return paths


def person_or_404(viewer, pk):
    """A person whose assessment the viewer may see: themself, or someone working inside the viewer's
    assessments.view scope."""
    person = User.objects.filter(pk=pk, is_active=True).first() if str(pk).isdecimal() else None
    if person is None:
        raise Http404
    if person.pk == viewer.pk:
        return person
    scope = scope_paths(viewer, VIEW)
    if not any(lies_under(path, scope) for path in person_paths(person)):
        raise Http404
    return person


@dataclass
class PersonAssessment:
    person: object
    year: int
    cadre_scores: list
    agency_reviews: list
    reports: list
    ratings: list


def person_assessment(person, year: int, *, show_comments: bool) -> PersonAssessment:
    cadre_scores = list(
        CadreScore.objects.filter(person=person, year=year)
        .select_related("street")
        .prefetch_related(Prefetch("grids", queryset=Area.objects.order_by("path")))
        .order_by("street__path")
    )
    reviews = list(
        AgencyHeadReview.objects.filter(head=person)
        .select_related("agency", "agency__street", "reviewed_by")
        .order_by("-year", "agency__name")
    )
    reports = list(
        WorkReport.objects.filter(reporter=person).select_related("party_org").order_by("-year", "pk")
    )
    for report in reports:
        report.public_result = report.state == ReportState.PUBLISHED
    ratings = (
        list(
            GridRating.objects.filter(worker=person, year=year)
            .exclude(comment="")
            .order_by("-updated_at")[:20]
        )
        if show_comments
        else []
    )
    return PersonAssessment(person, year, cadre_scores, reviews, reports, ratings)


# --- stationed agencies -------------------------------------------------------------------------------------
def visible_agencies(user) -> QuerySet[StationedAgency]:
    if user is None or not user.is_authenticated:
        return StationedAgency.objects.none()
    return StationedAgency.objects.filter(scope_q(user, VIEW, "street__path") | Q(head=user))


def agencies_for(user, *, street: Area | None = None, year: int | None = None) -> QuerySet[StationedAgency]:
    queryset = visible_agencies(user).select_related("street", "head")
    if street is not None:
        queryset = queryset.filter(under_q(street.path, "street__path"))
    if year:
        queryset = queryset.annotate(
            year_score=Sum("reviews__score", filter=Q(reviews__year=year, reviews__head=F("head")))
        )
    return queryset.order_by("street__path", "name")


def agency_or_404(user, pk) -> StationedAgency:
    try:
        return visible_agencies(user).select_related("street", "head").get(pk=pk)
    except (StationedAgency.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_reviews(user) -> QuerySet[AgencyHeadReview]:
    if user is None or not user.is_authenticated:
        return AgencyHeadReview.objects.none()
    return AgencyHeadReview.objects.filter(scope_q(user, VIEW, "agency__street__path") | Q(head=user))


def may_review(user, agency: StationedAgency) -> bool:
    return has_perm(user, "assessments.review_agency", agency.street)
