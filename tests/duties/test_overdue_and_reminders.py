"""Overdue is derived from the deadline and the state (no stored flag, nothing to run); reminders before the
deadline and one overdue notice come from the daily task, once per assignment and deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.core.duties.models import DutyAssignment, DutyTask, overdue_q
from grassroots.core.duties.selectors import completion_figures
from grassroots.core.duties.services import remind_assignments
from grassroots.core.duties.tasks import remind_duty_assignments
from grassroots.workflow.models import Notification


@pytest.fixture
def past_task(cast, issue, today):
    """A task the city issued to its streets 20 days ago, due 5 days ago."""
    return issue(deadline=today - timedelta(days=5), now=timezone.now() - timedelta(days=20))


def test_overdue_is_marked_by_itself(cast, tree, past_task, issue, finish, today):
    a = past_task.assignments.get(area=tree.street_a)
    b = past_task.assignments.get(area=tree.street_b)
    assert a.is_overdue() and b.is_overdue()
    assert set(DutyAssignment.objects.filter(overdue_q(today))) == {a, b}
    # On the deadline day itself it was still in time.
    assert not a.is_overdue(today - timedelta(days=5)) and a.is_overdue(today - timedelta(days=4))
    # Approved late: no longer overdue, but not on time either.
    finish(a, cast.street_a, cast.city)
    assert not a.is_overdue() and not a.on_time
    assert set(DutyAssignment.objects.filter(overdue_q(today))) == {b}
    figures = completion_figures(tree.city.path, past_task.task_list.year, today=today)
    assert figures["overdue"] == 1 and figures["approved"] == 1 and figures["late"] == 1
    assert figures["on_time"] == 0 and figures["on_time_rate"] == 0.0


def test_submitted_before_deadline_and_approved_after_is_on_time(cast, tree, issue, step, today):
    """Timeliness is the submission's date, not the checker's."""
    task = issue(deadline=today + timedelta(days=1))
    a = task.assignments.get(area=tree.street_a)
    step(a, "accept", cast.street_a)
    step(a, "begin", cast.street_a)
    step(a, "submit", cast.street_a, "ok")
    DutyTask.objects.filter(pk=task.pk).update(deadline=today)  # the deadline passes while waiting
    step(a, "approve", cast.city)
    assert a.completed_on == today and a.on_time


def test_reminders_before_the_deadline_once(cast, tree, issue, today, django_capture_on_commit_callbacks):
    due = issue(title="即将到期的任务", deadline=today + timedelta(days=2))
    issue(title="还早的任务", deadline=today + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_assignments(today=today) == {"reminded": 2, "overdue": 0}
    reminded = Notification.objects.filter(verb__contains="即将到期的任务")
    assert sorted(reminded.values_list("recipient__username", flat=True)) == ["street_a", "street_b"]
    assert (
        not Notification.objects.filter(verb__contains="还早的任务").exclude(verb__contains="下发").exists()
    )
    # Running again (the same day, or tomorrow) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_assignments(today=today) == {"reminded": 0, "overdue": 0}
        assert remind_assignments(today=today + timedelta(days=1))["reminded"] == 0
    assert reminded.count() == 2
    # The deadline moves: the targets are reminded of the new one.
    DutyTask.objects.filter(pk=due.pk).update(deadline=today + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_assignments(today=today)["reminded"] == 2


def test_no_reminder_for_work_already_submitted(cast, tree, issue, step, today):
    task = issue(deadline=today + timedelta(days=1))
    a = task.assignments.get(area=tree.street_a)
    step(a, "accept", cast.street_a)
    step(a, "begin", cast.street_a)
    step(a, "submit", cast.street_a, "ok")
    assert remind_assignments(today=today)["reminded"] == 1  # street B only


def test_overdue_notice_once_to_targets_and_issuer(
    cast, tree, past_task, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_assignments(today=today) == {"reminded": 0, "overdue": 2}
    to_targets = Notification.objects.filter(verb__contains="已超过完成时限")
    assert sorted(to_targets.values_list("recipient__username", flat=True)) == ["street_a", "street_b"]
    # The city's officials (and the administrator on the city) who issued it.
    to_issuer = Notification.objects.filter(verb__contains="逾期未完成")
    assert sorted(to_issuer.values_list("recipient__username", flat=True)) == ["admin", "city"]
    assert "有 2 个承办单位" in to_issuer.first().verb
    sent = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_assignments(today=today)["overdue"] == 0
        assert remind_assignments(today=today + timedelta(days=1))["overdue"] == 0
    assert Notification.objects.count() == sent


def test_the_task_function_runs_the_reminders(cast, issue, today, django_capture_on_commit_callbacks):
    issue(deadline=today + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_duty_assignments.call() == {"reminded": 2, "overdue": 0}
        assert remind_duty_assignments.call() == {"reminded": 0, "overdue": 0}
    assert Notification.objects.filter(verb__contains="到期").count() == 2


def test_nothing_is_sent_when_the_run_rolls_back(cast, issue, today, django_capture_on_commit_callbacks):
    """Notices leave on commit; a run whose transaction rolls back sends none and marks none."""
    from django.db import transaction

    issue(deadline=today + timedelta(days=1))
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        remind_assignments(today=today)
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.filter(verb__contains="到期").exists()
    assert DutyAssignment.objects.filter(reminded_for__isnull=False).count() == 0
