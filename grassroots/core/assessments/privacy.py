"""The assessments part's share of a person's data (grassroots/privacy/registry.py): the ratings a resident
gave the cadres of their grid. A deletion keeps the score (it counts in the cadre's year, and points to the
pseudonymised account) and blanks the free-text comment, which may name people."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _ratings(user):
    from grassroots.core.assessments.models import GridRating

    return model_rows(
        GridRating.objects.filter(resident=user).select_related("worker", "grid").order_by("year", "pk"),
        ["worker", "grid", "year", "score", "comment", "updated_at"],
    )


def _erase_ratings(user, *, placeholder: str) -> Erasure:
    from grassroots.core.assessments.models import GridRating

    count = GridRating.objects.filter(resident=user).update(comment="")
    return Erasure(How.PSEUDONYMISED, count, _("评分保留，评价文字删除") if count else "")


def register_personal_data() -> None:
    register(
        PersonalData(
            "assessments.grid_rating", gettext_lazy("对网格干部的评价"), _ratings, _erase_ratings, 50
        )
    )
