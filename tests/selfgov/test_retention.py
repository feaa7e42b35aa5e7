"""SELFGOV_OPINIONS_RETENTION_YEARS after an opinion was submitted, once decided, its text, place and
position become the placeholder and its photos (files too) and supporters go, by the clock's daily task
(clock pinned); the opinion stays (category, state, the matter, support count); an opinion still being
collected keeps everything; the opinion no longer names its author's account (a pseudonym account instead).
As long after a rating round closed, the residents' comments are blanked and each rating moves to a
pseudonym of its resident's own (one rating per resident and round still holds), the levels and counts kept.
Running twice is harmless; the audit chain still verifies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.utils import timezone

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.privacy.pseudonym import PREFIX
from grassroots.privacy.retention import erased_text
from grassroots.selfgov.models import Evaluation, OpinionState, Rating, Support
from grassroots.selfgov.services import matters, opinions
from grassroots.selfgov.tasks import forget_opinions, forget_rating_comments
from tests.files.crafted import jpeg

TEXT = "王家楼下乱停车，我家（3栋501）出不了门"
COMMENT = "李主任修了路灯，但我家门口还是黑"


def test_decided_opinions_lose_text_place_photos_and_supporters(
    cast, tree, people, settings, time_machine, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.SELFGOV_OPINIONS_RETENTION_YEARS = 3
    assert get("selfgov.forget_opinions") is not None and get("selfgov.forget_rating_comments") is not None
    decided = opinions.submit_opinion(
        author=people.wang, category="parking", text=TEXT, place="3栋楼下", photos=[jpeg()]
    )
    opinions.support_opinion(user=people.li, opinion=decided)
    matter = matters.create_matter(
        actor=cast.worker, area=tree.courtyard_a, title="停车整治", category="parking", opinions=[decided]
    )
    still_open = opinions.submit_opinion(author=people.zhao, category="parking", text=TEXT, photos=[jpeg()])
    photo = decided.photos.get().image.name
    assert default_storage.exists(photo)
    decided.refresh_from_db()
    assert decided.state == OpinionState.GROUPED and decided.support_count == 1

    time_machine.move_to(timezone.now() + timedelta(days=365 * 3 - 5), tick=False)
    assert forget_opinions.call()["count"] == 0

    time_machine.move_to(timezone.now() + timedelta(days=10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the run is committed
        result = forget_opinions.call()
    assert (result["count"], result["years"]) == (1, 3)
    assert forget_opinions.call()["count"] == 0  # idempotent
    decided.refresh_from_db()
    assert (decided.text, decided.place, decided.latitude) == (erased_text(), "", None)
    assert (decided.state, decided.matter_id, decided.support_count) == (OpinionState.GROUPED, matter.pk, 1)
    assert decided.category == "parking" and decided.author_id != people.wang.pk
    assert decided.author.username.startswith(PREFIX) and not decided.author.is_active
    assert people.wang.full_name not in decided.author.full_name
    assert not decided.photos.exists() and not default_storage.exists(photo)
    assert not Support.objects.filter(opinion=decided).exists()
    still_open.refresh_from_db()
    assert (
        still_open.text == TEXT and still_open.photos.count() == 1 and still_open.author_id == people.zhao.pk
    )
    assert AuditEvent.objects.filter(what__contains="提出人去标识化 1 条").count() == 1
    assert chain.verify().ok


def test_closed_rounds_lose_their_comments_the_levels_stay(cast, tree, people, settings, time_machine):
    settings.SELFGOV_OPINIONS_RETENTION_YEARS = 3
    matter = matters.create_matter(actor=cast.worker, area=tree.courtyard_a, title="路灯", category="other")
    now = timezone.now()
    closed = Evaluation.objects.create(
        matter=matter,
        round=1,
        opens_at=now - timedelta(days=8),
        closes_at=now - timedelta(days=1),
        closed_at=now - timedelta(days=1),
        threshold=Decimal("60"),
        satisfied=1,
    )
    running = Evaluation.objects.create(
        matter=matter, round=2, opens_at=now, closes_at=now + timedelta(days=7), threshold=Decimal("60")
    )
    old = Rating.objects.create(evaluation=closed, user=people.wang, level="satisfied", comment=COMMENT)
    silent = Rating.objects.create(evaluation=closed, user=people.li, level="unsatisfied")  # no comment
    new = Rating.objects.create(evaluation=running, user=people.wang, level="satisfied", comment=COMMENT)
    counts = list(closed.ratings.values_list("level", flat=True).order_by("level"))

    time_machine.move_to(closed.closed_at + timedelta(days=365 * 3 - 3), tick=False)
    assert forget_rating_comments.call()["count"] == 0
    time_machine.move_to(closed.closed_at + timedelta(days=365 * 3 + 3), tick=False)
    result = forget_rating_comments.call()
    assert result["count"] == 2  # also the rating without a comment: it names its resident
    assert forget_rating_comments.call()["count"] == 0  # idempotent
    old.refresh_from_db()
    new.refresh_from_db()
    silent.refresh_from_db()
    assert (old.comment, old.level, new.comment) == ("", "satisfied", COMMENT)
    assert {old.user_id, silent.user_id}.isdisjoint(
        {people.wang.pk, people.li.pk}
    ) and old.user_id != silent.user_id
    assert old.user.username.startswith(PREFIX) and silent.user.username.startswith(PREFIX)
    assert new.user_id == people.wang.pk  # the running round's rating is still the resident's
    assert list(closed.ratings.values_list("level", flat=True).order_by("level")) == counts
    rating_type = ContentType.objects.get_for_model(Rating)  # not tracked: no change entry holds the comment
    assert not any(COMMENT in str(e.changes) for e in LogEntry.objects.filter(content_type=rating_type))
    assert chain.verify().ok
