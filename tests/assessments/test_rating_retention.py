"""What a resident wrote when rating a grid cadre is blanked ASSESSMENTS_RATINGS_RETENTION_YEARS after the end
of the rated year (clock pinned), by the clock's daily task; the stars stay (the year's scores are computed
from them); a later year keeps its comments; the earlier change entries of the rating no longer hold the
comment; the rating no longer names the resident's account (a pseudonym account instead, one per resident)
while the year's scores stay the same; running twice is harmless; the audit chain still verifies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from grassroots.accounts.roles import Role
from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.core.assessments.models import CadreScore, GridRating
from grassroots.core.assessments.services.cadres import compute_cadre_scores
from grassroots.core.assessments.tasks import forget_ratings
from grassroots.privacy.pseudonym import PREFIX
from tests.factories import make_user

COMMENT = "王网格员上门帮我母亲办低保，很耐心"


def _rating(cast, tree, year):
    return GridRating.objects.create(
        resident=cast.resident, worker=cast.worker, grid=tree.grid_a, year=year, score=5, comment=COMMENT
    )


def test_old_rating_comments_are_blanked_the_stars_stay(cast, tree, settings, time_machine):
    settings.ASSESSMENTS_RATINGS_RETENTION_YEARS = 3
    assert get("assessments.forget_ratings") is not None  # the clock runs it
    cast.resident.verified_at = datetime(2021, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    cast.resident.save(update_fields=["verified_at"])
    old, later = _rating(cast, tree, 2022), _rating(cast, tree, 2023)
    shanghai = ZoneInfo("Asia/Shanghai")

    time_machine.move_to(datetime(2025, 12, 31, 23, 0, tzinfo=shanghai), tick=False)
    assert forget_ratings.call()["count"] == 0  # 2022 ended three years ago tomorrow

    time_machine.move_to(datetime(2026, 1, 2, 9, 0, tzinfo=shanghai), tick=False)
    result = forget_ratings.call()
    assert (result["count"], result["years"]) == (1, 3) and result["redacted"] >= 1
    assert forget_ratings.call()["count"] == 0  # idempotent
    old.refresh_from_db()
    later.refresh_from_db()
    assert (old.comment, old.score) == ("", 5) and old.resident_id != cast.resident.pk
    assert old.resident.username.startswith(PREFIX) and not old.resident.is_active
    assert (later.comment, later.resident_id) == (COMMENT, cast.resident.pk)
    rating_type = ContentType.objects.get_for_model(GridRating)
    about_old = LogEntry.objects.filter(content_type=rating_type, object_pk=str(old.pk))
    assert about_old.exists() and not any(COMMENT in str(e.changes) for e in about_old)
    about_later = LogEntry.objects.filter(content_type=rating_type, object_pk=str(later.pk))
    assert any(COMMENT in str(e.changes) for e in about_later)
    assert AuditEvent.objects.filter(what__contains="评价意见删除，评价人去标识化 1 条").count() == 1
    assert chain.verify().ok


def test_old_ratings_stop_naming_their_residents_and_the_scores_stay(
    cast, tree, people, settings, time_machine
):
    """Every due rating moves — also one without a comment —, each resident to a pseudonym of their own (one
    rating per resident, worker and year still holds); the worker's recomputed score for the year is the
    same; a rating of a resident not verified now (counted in no score) is deleted; a second run moves
    nothing."""
    settings.ASSESSMENTS_RATINGS_RETENTION_YEARS = 3
    shanghai = ZoneInfo("Asia/Shanghai")
    time_machine.move_to(datetime(2022, 6, 1, 9, 0, tzinfo=shanghai), tick=False)
    other = make_user("resident_c", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    other.verified_at = cast.resident.verified_at = datetime(2021, 5, 1, tzinfo=shanghai)
    other.save(update_fields=["verified_at"])
    cast.resident.save(update_fields=["verified_at"])
    unverified = make_user("resident_d", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    made = [
        GridRating.objects.create(resident=who, worker=people.grid, grid=tree.grid_a, year=2022, score=score)
        for who, score in ((cast.resident, 5), (other, 2), (unverified, 1))
    ]
    compute_cadre_scores(street=tree.street_a, year=2022)
    before = list(CadreScore.objects.values_list("person_id", "year", "rating", "ratings").order_by("pk"))
    assert (people.grid.pk, 2022, 3.5, 2) in [(p, y, float(r or 0), n) for p, y, r, n in before]

    time_machine.move_to(datetime(2026, 1, 2, 9, 0, tzinfo=shanghai), tick=False)
    assert forget_ratings.call()["count"] == 3
    assert forget_ratings.call()["count"] == 0  # idempotent
    kept = GridRating.objects.filter(year=2022).select_related("resident")
    people_ids = {cast.resident.pk, other.pk, unverified.pk}
    assert kept.count() == 2 and not kept.filter(resident_id__in=people_ids).exists()
    assert len({r.resident_id for r in kept}) == 2 and all(
        r.resident.username.startswith(PREFIX) for r in kept
    )
    assert sorted(r.score for r in kept) == [2, 5]
    compute_cadre_scores(street=tree.street_a, year=2022)
    after = list(CadreScore.objects.values_list("person_id", "year", "rating", "ratings").order_by("pk"))
    assert after == before
    assert not GridRating.objects.filter(pk=made[2].pk).exists()
    assert chain.verify().ok
