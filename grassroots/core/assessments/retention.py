"""Retention of residents' ratings of grid cadres (docs/assessments.md, docs/decisions.md "Retention of
business records"): ASSESSMENTS_RATINGS_RETENTION_YEARS after the end of the rated year, the clock's daily
`assessments.forget_ratings` blanks what the resident wrote (the same field a deletion request blanks). The
stars stay with the rating — the year's grid cadre scores are computed from them — and so does the link to
the rating account (pseudonymised when that account is deleted); the steps are grassroots/privacy/
retention.py's."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from grassroots.privacy import retention


def _due(cutoff: dt.date):
    from grassroots.core.assessments.models import GridRating

    return GridRating.objects.filter(year__lt=cutoff.year).exclude(comment="")


RATINGS = retention.Rule(
    setting="ASSESSMENTS_RATINGS_RETENTION_YEARS",
    label=_("网格干部评价保存期限"),
    what=_("网格干部评价超过保存期限：评价意见删除 %(count)s 条"),
    due=_due,
    erased=lambda: {"comment": ""},
)


def forget_ratings(*, now: dt.datetime | None = None) -> dict:
    return retention.run(RATINGS, now=now)
