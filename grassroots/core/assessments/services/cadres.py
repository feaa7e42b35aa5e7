"""The grid cadre score (网格干部考察得分, 网格化干部考察延伸制): the one formula and its stored computation.

    task rate T  = (approved + approved on time) / (2 × tasks)     the grid tasks of the year (mean of the
                                                                   completion rate and the on-time share)
    rating R     = average stars of verified residents / 5         residents' ratings of the person
    score        = 100 × ((1 − w) × T + w × R)                     w = GRID_EXTENSION_RATING_WEIGHT (0.4)

A part without data (no grid task, no verified rating) is left out and the other counts alone; with neither,
no score and no rank. `combine` is used by the stored score (`compute_cadre_scores`, per person) and by the
figure provider `assessments.grid_cadre` (per grid, for schemes of grids)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.core.assessments.models import CadreScore, GridRating
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.services.people import SERVING_ROLES

HUNDRED = Decimal(100)


def rating_weight() -> Decimal:
    """The share of residents' ratings in the score (the rest: the grid tasks).
    `settings.GRID_EXTENSION_RATING_WEIGHT`, 0.4 by default."""
    return Decimal(str(getattr(settings, "GRID_EXTENSION_RATING_WEIGHT", "0.4")))


def task_rate(total: int, approved: int, on_time: int) -> Decimal | None:
    """T: the mean of the completion rate and the share done on time; None without tasks."""
    if not total:
        return None
    return (Decimal(approved + on_time) / Decimal(2 * total)).quantize(Decimal("0.0001"))


def combine(task: Decimal | None, rating: Decimal | float | None, weight: Decimal | None = None):
    """The score out of 100 (one decimal) from T (0–1) and the average stars (1–5); None without either."""
    weight = rating_weight() if weight is None else weight
    parts = []
    if task is not None:
        parts.append((Decimal(task), 1 - weight))
    if rating is not None:
        parts.append((Decimal(str(rating)) / 5, weight))
    share = sum((w for _v, w in parts), Decimal(0))
    if not parts or not share:
        return None
    return (sum(v * w for v, w in parts) / share * HUNDRED).quantize(Decimal("0.1"))


def grid_task_counts(grid_ids, year: int) -> dict[int, dict]:
    """{grid id: {total, approved, on_time}} of the year's tasks issued to the grids (one query); empty when
    the duties part is not installed."""
    from grassroots.core.assessments.providers import _duties

    duties = _duties()  # the figure "duties.completion" of the one registry: its rows and counts
    if duties is None or not grid_ids:
        return {}
    counts = duties.counts(year, timezone.localdate())
    rows = (
        duties.rows(year, timezone.localdate())
        .filter(area_id__in=list(grid_ids))
        .values("area_id")
        .annotate(**{key: counts[key] for key in ("total", "approved", "on_time")})
        .order_by()
    )
    return {row.pop("area_id"): row for row in rows}


def verified_ratings(year: int, **filters):
    """The year's ratings given by residents whose real name is (still) verified, and those a retention run or
    a deletion moved to a pseudonym account (privacy/pseudonym.py): given by a verified resident, they keep
    counting."""
    from grassroots.privacy.pseudonym import pseudonymous

    return GridRating.objects.filter(
        Q(resident__verified_at__isnull=False) | pseudonymous("resident"), year=year, **filters
    )


def rank(rows: list[CadreScore]) -> None:
    """`rank_in_peers` by score, highest first; equal scores share a rank (1, 2, 2, 4); no score, no rank;
    `peers` = those ranked."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    previous, position = None, 0
    for index, row in enumerate(scored, start=1):
        if row.score != previous:
            position, previous = index, row.score
        row.rank_in_peers = position
    for row in rows:
        if row.score is None:
            row.rank_in_peers = None
        row.peers = len(scored)


@transaction.atomic
def compute_cadre_scores(*, street: Area, year: int, actor=None) -> int:
    """Compute and store the grid cadre score of everyone serving a grid of `street` (a working role on a
    live grid) for `year`, ranked among them; rows of people who no longer serve there are deleted.
    Re-computable at any time (the same data gives the same rows). `actor`: checked for assessments.manage
    on the street (None: the system, e.g. the demo). A fixed number of queries whatever the number of
    people. Returns the number of people."""
    if actor is not None and not has_perm(actor, MANAGE, street):
        raise PermissionDenied(_("只有街道（或上级）可以计算网格干部考察得分。"))
    if street.level != Level.STREET:
        raise ValidationError({"street": _("请选择一个街道（乡镇）。")})
    grids_of: dict[int, list[int]] = defaultdict(list)
    for user_id, area_id in (
        RoleGrant.objects.filter(
            under_q(street.path, "area__path"),
            role__in=SERVING_ROLES,
            area__level=Level.GRID,
            area__retired=False,
            user__is_active=True,
        )
        .order_by("area__path")
        .values_list("user_id", "area_id")
        .distinct()
    ):
        if area_id not in grids_of[user_id]:
            grids_of[user_id].append(area_id)
    tasks = grid_task_counts({g for ids in grids_of.values() for g in ids}, year)
    ratings = {
        row["worker_id"]: row
        for row in verified_ratings(year, worker_id__in=list(grids_of))
        .filter(under_q(street.path, "grid__path"))
        .values("worker_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
        .order_by()
    }
    existing = {row.person_id: row for row in CadreScore.objects.filter(street=street, year=year)}
    now = timezone.now()
    weight = rating_weight()
    rows = []
    for user_id, grids in grids_of.items():
        row = existing.pop(user_id, None) or CadreScore(person_id=user_id, street=street, year=year)
        counts = [tasks.get(g, {}) for g in grids]
        row.tasks_total = sum(c.get("total", 0) for c in counts)
        row.tasks_approved = sum(c.get("approved", 0) for c in counts)
        row.tasks_on_time = sum(c.get("on_time", 0) for c in counts)
        row.task_rate = task_rate(row.tasks_total, row.tasks_approved, row.tasks_on_time)
        rated = ratings.get(user_id)
        row.rating = Decimal(str(rated["avg"])).quantize(Decimal("0.01")) if rated else None
        row.ratings = rated["n"] if rated else 0
        row.score = combine(row.task_rate, row.rating, weight)
        row.computed_at = now
        row.grid_ids = grids
        rows.append(row)
    rank(rows)
    if existing:
        CadreScore.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    CadreScore.objects.bulk_update([r for r in rows if r.pk], CadreScore.COMPUTED, batch_size=500)
    CadreScore.objects.bulk_create([r for r in rows if not r.pk], batch_size=500)  # ids set (SQLite, PG)
    through = CadreScore.grids.through
    through.objects.filter(cadrescore__street=street, cadrescore__year=year).delete()
    through.objects.bulk_create(
        [through(cadrescore_id=r.pk, area_id=g) for r in rows for g in r.grid_ids], batch_size=500
    )
    return len(rows)
