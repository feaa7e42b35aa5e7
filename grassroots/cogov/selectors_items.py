"""What the two-way service items read, through the one scoping function, and their figures (aggregate
queries: per community through the one roll-up, per partner grouped by partner)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum

from grassroots.access.scoping import represented_partner_ids, scoped
from grassroots.areas.models import Area
from grassroots.areas.rollup import per_subtree
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.cogov.models import Agreement
from grassroots.cogov.models_items import (
    HOLDING,
    Claim,
    ClaimState,
    ItemKind,
    Rating,
    ServiceItem,
    Verdict,
)

VIEW, CLAIM, RATE = "cogov.view", "cogov.claim", "cogov.rate"

DONE_Q = Q(state=ClaimState.CONFIRMED)


def visible_items(user) -> QuerySet:
    """Items in the user's scope (`cogov.view`), and for a representative their partner's items and the
    needs open to it (ServiceItem.open_to_partners_q). Unpublished needs are the community's drafts: only
    those who keep the community (in scope) see them."""
    return scoped(ServiceItem.objects.all(), user, VIEW).select_related("community", "partner")


def visible_claims(user) -> QuerySet:
    return scoped(Claim.objects.all(), user, VIEW).select_related("item", "item__community", "partner")


def item_list(
    user, *, year: int | None = None, kind: str = "", area: Area | None = None, open_only: bool = False
) -> QuerySet:
    rows = visible_items(user)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    if area is not None:
        rows = rows.filter(under_q(area.path, "community__path"))
    if open_only:
        rows = rows.filter(kind=ItemKind.NEED, published=True, taken__lt=models_shares())
    return rows.order_by("community__path", "kind", "ends_on", "pk")


def models_shares():
    return F("shares")


def open_needs_for(user) -> QuerySet:
    """The published needs with shares left that a representative's partners may claim (their worklist),
    nearest deadline first."""
    ids = represented_partner_ids(user, CLAIM)
    if not ids:
        return ServiceItem.objects.none()
    mine = Claim.objects.filter(item=OuterRef("pk"), partner__in=ids, state__in=HOLDING)
    return (
        visible_items(user)
        .filter(kind=ItemKind.NEED, published=True, taken__lt=models_shares())
        .exclude(Exists(mine))
        .order_by("ends_on", "pk")
    )


def claims_of_partners(user) -> QuerySet:
    """The claims and commitments of the partners the user represents, those awaiting them first."""
    ids = represented_partner_ids(user, CLAIM)
    return visible_claims(user).filter(partner__in=ids).order_by("state", "planned_on", "pk")


# --- figures -----------------------------------------------------------------------------------------------
def _claim_aggregates() -> dict:
    live = Q(state__in=HOLDING)
    done = Q(state=ClaimState.CONFIRMED)
    return {
        "committed": Count("pk", filter=live & Q(item__kind=ItemKind.RESOURCE)),
        "claimed": Count("pk", filter=live & Q(item__kind=ItemKind.NEED)),
        "delivered": Count("pk", filter=done),
        "on_time": Count("pk", filter=done & Q(delivered_on__lte=F("planned_on"))),
        "beneficiaries": Sum("beneficiaries", filter=done),
    }


@dataclass
class ItemFigures:
    """committed: resources committed (live); claimed: needs claimed (live); delivered: confirmed
    deliveries; on_time: of those, delivered by the planned date; ratings, rating: their count and mean
    score; satisfied, basic, unsatisfied: the ratings' verdicts (满意, 基本满意, 不满意)."""

    committed: int = 0
    claimed: int = 0
    delivered: int = 0
    on_time: int = 0
    beneficiaries: int = 0
    ratings: int = 0
    rating: Decimal | None = None
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return Decimal(self.on_time) / self.delivered if self.delivered else None

    @property
    def satisfaction(self) -> Decimal | None:
        """满意率 in percent, two places: (满意 + 基本满意) / ratings; None without a rating."""
        return satisfaction(self.satisfied, self.basic, self.unsatisfied)


def satisfaction(satisfied: int, basic: int, unsatisfied: int) -> Decimal | None:
    """(满意 + 基本满意) / ratings in percent, two places (as self-governance's public evaluation counts it);
    None without a rating."""
    total = satisfied + basic + unsatisfied
    if not total:
        return None
    return (Decimal(satisfied + basic) * 100 / total).quantize(Decimal("0.01"))


def _rating_aggregates() -> dict:
    return {
        "ratings": Count("pk"),
        "score_sum": Sum("score"),
        "satisfied": Count("pk", filter=Q(verdict=Verdict.SATISFIED)),
        "basic": Count("pk", filter=Q(verdict=Verdict.BASIC)),
        "unsatisfied": Count("pk", filter=Q(verdict=Verdict.UNSATISFIED)),
    }


def _figures(counts: dict, rated: dict) -> ItemFigures:
    total, n = rated.get("score_sum") or 0, rated.get("ratings") or 0
    return ItemFigures(
        committed=counts.get("committed") or 0,
        claimed=counts.get("claimed") or 0,
        delivered=counts.get("delivered") or 0,
        on_time=counts.get("on_time") or 0,
        beneficiaries=counts.get("beneficiaries") or 0,
        ratings=n,
        rating=(Decimal(total) / n).quantize(Decimal("0.01")) if n else None,
        satisfied=rated.get("satisfied") or 0,
        basic=rated.get("basic") or 0,
        unsatisfied=rated.get("unsatisfied") or 0,
    )


def area_figures(paths: Iterable[str], year: int) -> dict[str, ItemFigures]:
    """{area path: ItemFigures} of the year's items in each area's subtree (the one roll-up: two aggregate
    queries per path length, the claims and the ratings)."""
    paths = list(paths)
    claims = per_subtree(
        Claim.objects.filter(item__year=year),
        paths,
        path_field="item__community__path",
        **_claim_aggregates(),
    )
    rated = per_subtree(
        Rating.objects.filter(claim__item__year=year),
        paths,
        path_field="claim__item__community__path",
        **_rating_aggregates(),
    )
    return {path: _figures(claims[path], rated[path]) for path in paths}


def partner_figures(partner_ids: Sequence[int], year: int | None = None) -> dict[int, ItemFigures]:
    """{partner id: ItemFigures} wherever the partner works (every community: one record, one page); of one
    year, or of all years when `year` is None. Two aggregate queries."""
    claims = Claim.objects.filter(partner__in=partner_ids)
    ratings = Rating.objects.filter(claim__partner__in=partner_ids)
    if year is not None:
        claims, ratings = claims.filter(item__year=year), ratings.filter(claim__item__year=year)
    counts = {row["partner"]: row for row in claims.values("partner").annotate(**_claim_aggregates())}
    rated = {
        row["claim__partner"]: row
        for row in ratings.values("claim__partner").annotate(**_rating_aggregates())
    }
    return {pk: _figures(counts.get(pk, {}), rated.get(pk, {})) for pk in partner_ids}


# --- the partner's annual participation score --------------------------------------------------------------
# Weights of the score (0–100): agreements kept, items delivered, ratings, meetings attended.
WEIGHTS = {"agreements": 25, "delivered": 35, "ratings": 25, "meetings": 15}

# The joint meetings' attendance, when that part is built: a function (partner ids, year) → {partner id: rate
# 0–1}. Registered with `register_meeting_attendance`; until then the term is 0 for everyone.
_meeting_attendance: list = []


def register_meeting_attendance(func) -> None:
    _meeting_attendance[:] = [func]


@dataclass
class Participation:
    agreements: Decimal | None  # agreements of the year kept (not ended early) / agreements of the year
    delivered: Decimal | None  # claims confirmed / claims accepted (accepted, delivered, confirmed)
    ratings: Decimal | None  # mean rating / 5
    meetings: Decimal | None  # joint meetings attended / invited (0 until the meetings part registers)

    @property
    def score(self) -> Decimal:
        total = sum(
            Decimal(WEIGHTS[name]) * (getattr(self, name) or 0)
            for name in ("agreements", "delivered", "ratings", "meetings")
        )
        return Decimal(total).quantize(Decimal("0.1"))


def participation(partner_ids: Sequence[int], year: int) -> dict[int, Participation]:
    """{partner id: Participation} for a year: three aggregate queries (agreements, claims, ratings) and
    the meetings' hook."""
    from datetime import date

    start, end = date(year, 1, 1), date(year, 12, 31)
    agreements = {
        row["partner"]: row
        for row in Agreement.objects.filter(partner__in=partner_ids, starts_on__lte=end, ends_on__gte=start)
        .values("partner")
        .annotate(
            total=Count("pk"),
            kept=Count("pk", filter=Q(terminated_on__isnull=True) | Q(terminated_on__gt=end)),
        )
    }
    accepted = (ClaimState.ACCEPTED, ClaimState.DELIVERED, ClaimState.CONFIRMED)
    claims = {
        row["partner"]: row
        for row in Claim.objects.filter(partner__in=partner_ids, item__year=year)
        .values("partner")
        .annotate(accepted=Count("pk", filter=Q(state__in=accepted)), done=Count("pk", filter=DONE_Q))
    }
    rated = {
        row["claim__partner"]: row["mean"]
        for row in Rating.objects.filter(claim__partner__in=partner_ids, claim__item__year=year)
        .values("claim__partner")
        .annotate(mean=Avg("score"))
    }
    meetings = _meeting_attendance[0](partner_ids, year) if _meeting_attendance else {}

    def ratio(a, b):
        return (Decimal(a) / Decimal(b)) if b else None

    out = {}
    for pk in partner_ids:
        a, c = agreements.get(pk, {}), claims.get(pk, {})
        mean = rated.get(pk)
        out[pk] = Participation(
            agreements=ratio(a.get("kept", 0), a.get("total", 0)),
            delivered=ratio(c.get("done", 0), c.get("accepted", 0)),
            ratings=(Decimal(str(mean)) / 5) if mean is not None else None,
            meetings=Decimal(str(meetings[pk])) if pk in meetings else None,
        )
    return out


def ratable_for(user) -> QuerySet:
    """The deliveries a resident may rate: confirmed, of the community they live in, of this year and last;
    `my_score` and `my_verdict` are their own rating (None when not yet rated)."""
    from django.db.models import Subquery
    from django.utils import timezone

    home = getattr(user, "home_area", None)
    if home is None:
        return Claim.objects.none()
    mine = Rating.objects.filter(claim=OuterRef("pk"), rater=user)
    year = timezone.localdate().year
    return (
        Claim.objects.filter(state=ClaimState.CONFIRMED, item__year__gte=year - 1)
        .filter(item__community__path__in=ancestor_paths([home.path]))
        .select_related("item", "item__community", "partner")
        .annotate(
            my_score=Subquery(mine.values("score")[:1]), my_verdict=Subquery(mine.values("verdict")[:1])
        )
        .order_by("-confirmed_at", "-pk")
    )
