"""A decided personal-data request keeps its proof (kind, dates, outcome) but its free text is blanked after
PRIVACY_REQUESTS_RETENTION_DAYS (clock pinned), by the clock's daily task; a pending one is never touched."""

from __future__ import annotations

from datetime import timedelta

from grassroots.audit.models import AuditEvent
from grassroots.clock.registry import discover, get
from grassroots.privacy.models import RequestState
from grassroots.privacy.services import submit_request
from grassroots.privacy.tasks import forget_old_requests as forget_task
from grassroots.workflow.services import transition


def test_decided_requests_lose_their_text_after_the_period_and_not_before(
    resident, cast, settings, time_machine, today
):
    settings.PRIVACY_REQUESTS_RETENTION_DAYS = 30
    done = submit_request(user=resident, kind="correction", details="手机号 13800000001 有误")
    transition(done, "complete", actor=cast.admin, comment="已更正")
    done.refresh_from_db()
    done.reply = "已更正为 13800000002"
    done.save(update_fields=["reply"])
    pending = submit_request(user=resident, kind="deletion", details="还在办理 13800000003")

    time_machine.move_to(done.decided_at + timedelta(days=29), tick=False)
    assert forget_task.call()["blanked"] == 0
    done.refresh_from_db()
    assert "13800000001" in done.details

    time_machine.move_to(done.decided_at + timedelta(days=31), tick=False)
    assert forget_task.call() == {"blanked": 1, "days": 30}
    assert forget_task.call()["blanked"] == 0  # idempotent
    done.refresh_from_db()
    pending.refresh_from_db()
    assert (done.details, done.reply, done.state) == ("", "", RequestState.DONE)
    assert done.decided_at is not None and done.kind == "correction"
    assert pending.details == "还在办理 13800000003"
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSONAL_DATA, what__contains="超过保存期限").count()
        == 1
    )


def test_the_task_is_on_the_clock():
    discover()
    assert get("privacy.forget_requests") is not None
