"""Retention of residents' ratings of grid cadres (docs/assessments.md, docs/decisions.md "Retention of
business records"): ASSESSMENTS_RATINGS_RETENTION_YEARS after the end of the rated year, the clock's daily
`assessments.forget_ratings` blanks what the resident wrote (the same field a deletion request blanks) and
moves the rating to a pseudonym account (one per resident: "one rating per resident, worker and year" still
holds), so it no longer names the person. The stars stay with the rating — the year's grid cadre scores are
computed from them, pseudonyms' ratings counted as the verified residents' they were (services/cadres.py
`verified_ratings`) —; a due rating whose resident is not verified at the run counts in no score and is
deleted instead. The steps are grassroots/privacy/retention.py's."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _due(cutoff: dt.date):
    from grassroots.core.assessments.models import GridRating

    return GridRating.objects.filter(year__lt=cutoff.year).exclude(
        Q(comment="") & retention.unlinked("resident")
    )


def _unverified(rows: list) -> None:
    """Ratings of residents not verified now count in no score (`verified_ratings`): deleted, not kept."""
    from grassroots.core.assessments.models import GridRating
    from grassroots.privacy.pseudonym import pseudonymous

    GridRating.objects.filter(pk__in=[row.pk for row in rows], resident__verified_at__isnull=True).exclude(
        pseudonymous("resident")
    ).delete()


RATINGS = retention.Rule(
    setting="ASSESSMENTS_RATINGS_RETENTION_YEARS",
    label=_("网格干部评价保存期限"),
    what=_("网格干部评价超过保存期限：评价意见删除，评价人去标识化 %(count)s 条"),
    due=_due,
    erased=lambda: {"comment": ""},
    extra=_unverified,
    links=("resident",),
)


def forget_ratings(*, now: dt.datetime | None = None) -> dict:
    return retention.run(RATINGS, now=now)
