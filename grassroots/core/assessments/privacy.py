"""The assessments part's share of a person's data (grassroots/privacy/registry.py): the ratings a resident
gave the cadres of their grid, and a cadre's own grid cadre scores (CadreScore). A deletion keeps a rating's
score (it counts in the cadre's year, and points to the pseudonymised account) and blanks the free-text
comment, which may name people; it deletes the person's cadre scores: an evaluation of the person, derived
from records that stay (the grids' tasks, the ratings) and recomputed from them, so nothing requires keeping
it (docs/decisions.md)."""

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


SCORE_FIELDS = ("year", "street", "tasks_total", "tasks_approved", "task_rate", "rating", "ratings", "score")
SCORE_FIELDS += ("rank_in_peers", "peers", "computed_at")


def _cadre_scores(user):
    from grassroots.core.assessments.models import CadreScore

    return model_rows(
        CadreScore.objects.filter(person=user).select_related("street").order_by("year", "pk"),
        [*SCORE_FIELDS],
    )


def _erase_cadre_scores(user, *, placeholder: str) -> Erasure:
    from grassroots.core.assessments.models import CadreScore

    count, _by_model = CadreScore.objects.filter(person=user).delete()
    return Erasure(How.DELETED, count)


def register_personal_data() -> None:
    register(
        PersonalData(
            "assessments.grid_rating", gettext_lazy("对网格干部的评价"), _ratings, _erase_ratings, 50
        )
    )
    register(
        PersonalData(
            "assessments.cadre_score",
            gettext_lazy("网格干部考察得分"),
            _cadre_scores,
            _erase_cadre_scores,
            51,
        )
    )
