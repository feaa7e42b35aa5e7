"""Who was on a closed gathering's list is forgotten GATHERINGS_PARTICIPANTS_RETENTION_YEARS after it ended
(clock pinned), by the clock's daily task: the rows stay for the counts without the person and the absence
reason, guests lose their name; a gathering still planned, or closed within the period, is untouched."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import discover, get
from grassroots.gatherings.models import Gathering, Guest, Participant, Status
from grassroots.gatherings.tasks import forget_participants


def gathering(tree, cast, title, *, status, ends):
    return Gathering.objects.create(
        kind="activity",
        title=title,
        area=tree.community_a,
        organizer=cast.secretary,
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
        status=status,
    )


def test_closed_gatherings_lists_are_forgotten_after_the_period(
    tree, cast, settings, time_machine, client_for
):
    settings.GATHERINGS_PARTICIPANTS_RETENTION_YEARS = 3
    now = timezone.now()
    held = gathering(tree, cast, "老院落议事会", status=Status.HELD, ends=now - timedelta(days=10))
    cancelled = gathering(tree, cast, "取消的活动", status=Status.CANCELLED, ends=now - timedelta(days=10))
    planned = gathering(tree, cast, "还在计划", status=Status.PLANNED, ends=now + timedelta(days=2000))
    Participant.objects.create(gathering=held, user=cast.resident, present=True)
    absent = Participant.objects.create(
        gathering=held, user=cast.worker, present=False, absence_reason="住院做手术"
    )
    Participant.objects.create(gathering=cancelled, user=cast.resident, signed_up_at=now)
    future = Participant.objects.create(gathering=planned, user=cast.resident, signed_up_at=now)
    guest = Guest.objects.create(gathering=held, name="居民代表李大爷", role="居民代表")

    time_machine.move_to(now + timedelta(days=365 * 3 - 12), tick=False)
    assert forget_participants.call()["participants"] == 0
    assert Participant.objects.get(pk=absent.pk).absence_reason == "住院做手术"

    time_machine.move_to(now + timedelta(days=365 * 3 + 1), tick=False)
    assert forget_participants.call() == {"participants": 3, "guests": 1, "years": 3}
    assert forget_participants.call()["participants"] == 0  # idempotent
    absent.refresh_from_db()
    assert (absent.user_id, absent.present, absent.absence_reason) == (None, False, "")
    assert held.participants.filter(present=True).count() == 1  # the counts stay
    assert not Participant.objects.filter(user=cast.resident).exclude(pk=future.pk).exists()
    assert Participant.objects.get(pk=future.pk).user_id == cast.resident.pk
    guest.refresh_from_db()
    assert "李大爷" not in guest.name and guest.role == "居民代表"
    assert AuditEvent.objects.filter(what__contains="参会人员去标识化 3 人次").count() == 1
    page = client_for(cast.secretary).get(f"/gatherings/{held.pk}/")
    assert page.status_code == 200 and "（已超过保存期限）" in page.content.decode()


def test_a_deletion_blanks_the_absence_reason_and_keeps_the_row(tree, cast):
    from grassroots.privacy.services import submit_request
    from grassroots.workflow.services import transition

    held = gathering(tree, cast, "支部大会", status=Status.HELD, ends=timezone.now())
    row = Participant.objects.create(
        gathering=held, user=cast.resident, present=False, absence_reason="在医院"
    )
    request = submit_request(user=cast.resident, kind="deletion")
    transition(request, "complete", actor=cast.street_a)
    row.refresh_from_db()
    request.refresh_from_db()  # the kept row names the deletion's pseudonym (privacy/pseudonym.py)
    assert (row.user_id, row.present, row.absence_reason) == (request.user_id, False, "")
    assert row.user_id != cast.resident.pk


def test_the_task_is_on_the_clock():
    discover()
    assert get("gatherings.forget_participants") is not None
