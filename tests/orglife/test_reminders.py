"""Reminders before a period ends with a required gathering not yet held: who is selected, once only."""

from datetime import date

from grassroots.accounts.models import User
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReminder
from grassroots.core.orglife.selectors.reminders import due_reminders
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.services.reminders import remind_due
from grassroots.core.orglife.tasks import remind_orglife_due
from grassroots.gatherings.models import Gathering, Status
from grassroots.workflow.models import Notification
from tests.orglife.conftest import at, backdate


def selected(today, now=None):
    return {
        (d.rule.kind, d.period.key): sorted(b.name for b in d.branches)
        for d in due_reminders(today, now or at(today, 12))
    }


def orgs_user():
    return User.objects.get(username="branch_sec")


def held(branch, kind, day, **fields):
    return bridge.create_branch_gathering(
        branch=branch,
        kind=kind,
        title="会",
        starts_at=at(day),
        ends_at=at(day, 11),
        organizer=orgs_user(),
        **fields,
    )


def test_selection_within_the_window_only(orgs):
    # 2025-05-20: the month ends in 11 days (window 7), the quarter in 41 (window 15): nothing due.
    assert all(not names for names in selected(date(2025, 5, 20)).values())
    # 2025-06-25: both the month (June) and the quarter (Q2) are in their windows.
    due = selected(date(2025, 6, 25))
    assert due[(kinds.COMMITTEE_MEETING, "2025-06")] == ["桥楼社区第一网格党支部", "育才社区党支部"]
    assert due[(kinds.GENERAL_MEETING, "2025-Q2")] == ["桥楼社区第一网格党支部", "育才社区党支部"]
    # Group meetings only where there are groups; the annual meeting's window (30 days) is not open in June.
    assert due[(kinds.GROUP_MEETING, "2025-06")] == ["桥楼社区第一网格党支部"]
    assert (kinds.REVIEW_MEETING, "2025") not in due


def test_a_gathering_held_in_the_period_clears_it_but_a_cancelled_or_future_one_does_not(orgs):
    held(orgs.branch, kinds.COMMITTEE_MEETING, date(2025, 6, 3))
    cancelled = held(orgs.branch_b, kinds.COMMITTEE_MEETING, date(2025, 6, 4))
    Gathering.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED)  # the state alone matters here
    held(orgs.branch_b, kinds.GENERAL_MEETING, date(2025, 6, 28))  # planned, not held yet on the 25th
    held(orgs.branch_b, kinds.GENERAL_MEETING, date(2025, 3, 28))  # last quarter does not count
    due = selected(date(2025, 6, 25))
    assert due[(kinds.COMMITTEE_MEETING, "2025-06")] == ["育才社区党支部"]
    assert due[(kinds.GENERAL_MEETING, "2025-Q2")] == ["桥楼社区第一网格党支部", "育才社区党支部"]


def test_a_branch_created_during_the_period_is_not_reminded(orgs):
    backdate(orgs.branch_b, date(2025, 6, 2))
    due = selected(date(2025, 6, 25))
    assert due[(kinds.COMMITTEE_MEETING, "2025-06")] == ["桥楼社区第一网格党支部"]


def test_each_reminder_is_sent_once_however_often_the_task_runs(orgs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_due(today=date(2025, 6, 25))
    # June: committee (2 branches), group (1); Q2: general meeting (2), Party lesson (2).
    assert first == 7
    assert OrgLifeReminder.objects.count() == 7
    notes = Notification.objects.filter(recipient=orgs.branch_sec)
    assert notes.count() == 4  # branch_b has no secretary: its rows are written, nobody is told
    assert notes.filter(verb__contains="支委会").exists()
    assert notes.first().url == f"/orglife/branches/{orgs.branch.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due(today=date(2025, 6, 25)) == 0
        assert remind_due(today=date(2025, 6, 28)) == 0
    assert Notification.objects.count() == 4
    # The next month is a new period.
    assert remind_due(today=date(2025, 7, 28)) == 3  # July committee ×2, group ×1


def test_the_task_runs_the_service(orgs, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = remind_orglife_due.enqueue()
    assert result.return_value >= 0
