"""A member who transferred out is pseudonymised MEMBERS_DEPARTED_RETENTION_YEARS after the transfer by the
clock's daily task (members.forget_departed), not before; members still in the platform are never touched."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import discover, get
from grassroots.core.members.models import CareVisit, ContactAttempt, Member, MemberStatus
from grassroots.core.members.tasks import forget_departed
from tests.members.fixtures_precisions import *  # noqa: F403


def test_transferred_out_members_are_pseudonymised_after_the_period(
    make_member, cast, settings, time_machine, today
):
    settings.MEMBERS_DEPARTED_RETENTION_YEARS = 2
    gone = make_member("王转出", phone="13800000011", work_unit="某单位")
    stays = make_member("李在册", phone="13800000012")
    Member.objects.filter(pk=gone.pk).update(
        status=MemberStatus.TRANSFERRED_OUT, status_changed_at=timezone.now()
    )
    visit = CareVisit.objects.create(
        member=gone, visitor=cast.worker, kind="holiday", visited_on=today, help_given="送米", notes="独居"
    )
    contact = ContactAttempt.objects.create(member=gone, method="phone", by=cast.worker, result="去了成都")

    time_machine.move_to(timezone.now() + timedelta(days=365 * 2 - 2), tick=False)
    assert forget_departed.call()["pseudonymised"] == 0
    assert Member.objects.get(pk=gone.pk).name == "王转出"

    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)
    assert forget_departed.call() == {"pseudonymised": 1, "years": 2}
    assert forget_departed.call()["pseudonymised"] == 0  # idempotent
    gone = Member.objects.get(pk=gone.pk)
    assert gone.name == f"已转出党员{gone.pk}"
    assert (gone.phone, gone.id_masked, gone.work_unit) == (None, "", "")
    assert gone.status == MemberStatus.TRANSFERRED_OUT and gone.branch_id is not None
    visit.refresh_from_db()
    contact.refresh_from_db()
    assert (visit.help_given, visit.notes, contact.result) == ("", "", "")
    stays = Member.objects.get(pk=stays.pk)
    assert stays.name == "李在册" and stays.phone == "13800000012"
    assert AuditEvent.objects.filter(what__startswith="转出或出党党员超过保存期限：党员信息").count() == 1


def test_the_task_is_on_the_clock():
    discover()
    assert get("members.forget_departed") is not None
