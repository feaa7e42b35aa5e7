"""What a resident wrote when rating a grid cadre is blanked ASSESSMENTS_RATINGS_RETENTION_YEARS after the end
of the rated year (clock pinned), by the clock's daily task; the stars stay (the year's scores are computed
from them); a later year keeps its comments; the earlier change entries of the rating no longer hold the
comment; running twice is harmless; the audit chain still verifies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.core.assessments.models import GridRating
from grassroots.core.assessments.tasks import forget_ratings

COMMENT = "王网格员上门帮我母亲办低保，很耐心"


def _rating(cast, tree, year):
    return GridRating.objects.create(
        resident=cast.resident, worker=cast.worker, grid=tree.grid_a, year=year, score=5, comment=COMMENT
    )


def test_old_rating_comments_are_blanked_the_stars_stay(cast, tree, settings, time_machine):
    settings.ASSESSMENTS_RATINGS_RETENTION_YEARS = 3
    assert get("assessments.forget_ratings") is not None  # the clock runs it
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
    assert (old.comment, old.score, old.resident_id) == ("", 5, cast.resident.pk)
    assert later.comment == COMMENT
    rating_type = ContentType.objects.get_for_model(GridRating)
    about_old = LogEntry.objects.filter(content_type=rating_type, object_pk=str(old.pk))
    assert about_old.exists() and not any(COMMENT in str(e.changes) for e in about_old)
    about_later = LogEntry.objects.filter(content_type=rating_type, object_pk=str(later.pk))
    assert any(COMMENT in str(e.changes) for e in about_later)
    assert AuditEvent.objects.filter(what__contains="评价意见删除 1 条").count() == 1
    assert chain.verify().ok
