"""The visit log forgets the person GRIDWORK_VISITS_RETENTION_YEARS after a visit (clock pinned), by the
clock's daily task: the visit stays as the worker's record (date, area, worker, follow-up flag) without the
resident, what was heard and the notes; a recent visit and an open follow-up stay whole; the earlier change
entries about a forgotten visit no longer hold what was heard, and the audit chain still verifies."""

from __future__ import annotations

from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import get
from grassroots.gridwork.models import Visit
from grassroots.gridwork.tasks import forget_visits

HEARD = "反映楼道灯坏了，母亲卧床"


def _visit(cast, tree, on, **fields):
    return Visit.objects.create(
        worker=cast.worker,
        area=tree.courtyard_a,
        resident=cast.resident,
        visited_on=on,
        heard=HEARD,
        **fields,
    )


def test_old_visits_lose_the_person_the_rest_stays(cast, tree, settings, time_machine):
    settings.GRIDWORK_VISITS_RETENTION_YEARS = 3
    today = timezone.localdate()
    old = _visit(cast, tree, today - timedelta(days=10), follow_up=True, follow_up_note="联系物业")
    old.closed_at, old.closing_note = timezone.now(), "物业已修好"
    old.save()
    still_open = _visit(cast, tree, today - timedelta(days=10), follow_up=True, follow_up_note="等待回复")
    recent = _visit(cast, tree, today + timedelta(days=400))
    assert get("gridwork.forget_visits") is not None  # the clock runs it

    time_machine.move_to(timezone.now() + timedelta(days=365 * 3 - 12), tick=False)
    assert forget_visits.call()["visits"] == 0

    time_machine.move_to(timezone.now() + timedelta(days=24), tick=False)
    result = forget_visits.call()
    assert (result["visits"], result["years"]) == (1, 3) and result["redacted"] >= 1
    assert forget_visits.call()["visits"] == 0  # idempotent
    old.refresh_from_db()
    assert (old.resident_id, old.follow_up_note, old.closing_note) == (None, "", "")
    assert HEARD not in old.heard and old.worker_id == cast.worker.pk and old.follow_up
    for kept in (still_open, recent):
        kept.refresh_from_db()
        assert (kept.resident_id, kept.heard) == (cast.resident.pk, HEARD)
    visit_type = ContentType.objects.get_for_model(Visit)
    about_old = LogEntry.objects.filter(content_type=visit_type, object_pk=str(old.pk))
    assert about_old.exists() and not any(HEARD in str(e.changes) for e in about_old)
    about_recent = LogEntry.objects.filter(content_type=visit_type, object_pk=str(recent.pk))
    assert any(HEARD in str(e.changes) for e in about_recent)
    assert AuditEvent.objects.filter(what__contains="走访对象和民情记录删除 1 条").count() == 1
    assert chain.verify().ok
