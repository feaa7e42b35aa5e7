"""Reads about people: the grid extension (cadres and grid workers with the figures of the grids they serve
and residents' ratings), a person's assessment view, and stationed agencies with their heads' reviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404

from grassroots.access.scoping import has_perm, scope_paths, scope_q
from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.assessments.models import (
    AgencyHeadReview,
    Assessment,
    GridRating,
    ReportState,
    StationedAgency,
    WorkReport,
)
from grassroots.core.assessments.rules import VIEW
from grassroots.core.assessments.services.people import SERVING_ROLES

User = get_user_model()
HUNDRED = Decimal(100)


def rating_weight() -> Decimal:
    """The share of residents' ratings in a cadre's grid-extension score (the rest: the grids' assessment
    results). `settings.GRID_EXTENSION_RATING_WEIGHT`, 0.4 by default."""
    return Decimal(str(getattr(settings, "GRID_EXTENSION_RATING_WEIGHT", "0.4")))


def serving_people(user, *, area: Area | None = None) -> QuerySet:
    """Cadres and grid workers serving grids in the user's scope (a working role on a grid)."""
    grants = RoleGrant.objects.filter(
        scope_q(user, VIEW, "area__path"),
        role__in=SERVING_ROLES,
        area__level=Level.GRID,
        area__retired=False,
    )
    if area is not None:
        grants = grants.filter(under_q(area.path))
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by(
        "full_name", "username"
    )


@dataclass
class ExtensionRow:
    person: object
    grids: list = field(default_factory=list)
    grid_score: Decimal | None = None  # the grids' assessment results, in % of the points they could get
    rating: Decimal | None = None  # residents' average stars
    ratings: int = 0
    combined: Decimal | None = None  # out of 100

    @property
    def rating_percent(self) -> Decimal | None:
        return None if self.rating is None else (self.rating / 5 * HUNDRED).quantize(Decimal("0.1"))


def extension_rows(people, year: int) -> list[ExtensionRow]:
    """One row per person: the grids they serve, those grids' results in the year's grid-level schemes,
    residents' ratings, and the combined score. Three queries whatever the number of people."""
    people = list(people)
    rows = {p.pk: ExtensionRow(person=p) for p in people}
    grants = (
        RoleGrant.objects.filter(
            user__in=rows, role__in=SERVING_ROLES, area__level=Level.GRID, area__retired=False
        )
        .select_related("area")
        .order_by("area__path")
    )
    grids_of: dict[int, set[int]] = defaultdict(set)
    for grant in grants:
        if grant.area_id not in grids_of[grant.user_id]:
            rows[grant.user_id].grids.append(grant.area)
        grids_of[grant.user_id].add(grant.area_id)
    all_grids = {g for ids in grids_of.values() for g in ids}
    results = {
        r["area_id"]: r
        for r in Assessment.objects.filter(
            area__in=all_grids, scheme__year=year, scheme__level=Level.GRID, total__isnull=False
        )
        .values("area_id")
        .annotate(total=Sum("total"), max_total=Sum("max_total"))
        .order_by()
    }
    ratings = {
        r["worker_id"]: r
        for r in GridRating.objects.filter(worker__in=rows, year=year)
        .values("worker_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
        .order_by()
    }
    weight = rating_weight()
    for pk, row in rows.items():
        total = sum((results[g]["total"] for g in grids_of[pk] if g in results), Decimal(0))
        possible = sum((results[g]["max_total"] for g in grids_of[pk] if g in results), Decimal(0))
        row.grid_score = (total / possible * HUNDRED).quantize(Decimal("0.1")) if possible else None
        if pk in ratings:
            row.rating = Decimal(str(ratings[pk]["avg"])).quantize(Decimal("0.01"))
            row.ratings = ratings[pk]["n"]
        parts = []
        if row.grid_score is not None:
            parts.append((row.grid_score, 1 - weight))
        if row.rating_percent is not None:
            parts.append((row.rating_percent, weight))
        if parts:
            share = sum(w for _v, w in parts)
            row.combined = (sum(v * w for v, w in parts) / share).quantize(Decimal("0.1")) if share else None
    return [rows[p.pk] for p in people]


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
    person = User.objects.filter(pk=pk, is_active=True).first() if str(pk).isdigit() else None
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
    extension: ExtensionRow | None
    agency_reviews: list
    reports: list
    ratings: list


def person_assessment(person, year: int, *, show_comments: bool) -> PersonAssessment:
    extension = extension_rows([person], year)[0]
    if not extension.grids and extension.ratings == 0:
        extension = None
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
    return PersonAssessment(person, year, extension, reviews, reports, ratings)


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
