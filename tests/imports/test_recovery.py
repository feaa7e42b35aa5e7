"""Jobs that survive a crash: a retry is idempotent and a run that was taken over can neither write nor
finish its job; a job whose process died is found by the stale-job check — on the job page and by
`manage.py recover_imports` — and resumed, or failed after its last attempt, and the page says which.
(The real SIGKILL tests are in tests/members/test_import_killed.py.)"""

from __future__ import annotations

import io
import os
import socket
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grassroots.core.members.models import MemberTag
from grassroots.imports.models import ImportJob
from grassroots.imports.progress import TakenOver
from grassroots.imports.recovery import abandoned, recover, runner_alive
from grassroots.imports.runner import _claim, _update, run_import_job
from grassroots.workflow.models import Notification
from tests.imports.test_runner import job_for

HOST = socket.gethostname()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def stuck(user, names, *, status="writing", runner="", attempts=1, heartbeat=None) -> ImportJob:
    """A job as a run that died leaves it (nothing written: the final state goes with the rows)."""
    job = job_for(user, names, status=status)
    ImportJob.objects.filter(pk=job.pk).update(
        runner=runner, attempts=attempts, heartbeat_at=heartbeat or timezone.now(), started_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def test_a_retry_of_a_finished_job_changes_nothing(cast):
    job = run_import_job(job_id=job_for(cast.street_a, ["甲", "乙"]).pk)
    assert job.status == "done" and job.attempts == 1
    again = run_import_job(job_id=job.pk, retry=True)
    assert again.status == "done" and again.attempts == 1 and again.finished_at == job.finished_at
    assert MemberTag.objects.count() == 2


def test_a_run_that_was_taken_over_cannot_write_or_finish_the_job(cast):
    job = job_for(cast.street_a, ["甲"])
    old = _claim(job, retry=False)  # a run that went quiet after claiming the job
    assert old
    job.refresh_from_db()
    taken = run_import_job(job_id=job.pk, retry=True)  # the operator's --retry takes it over
    assert taken.status == "done" and taken.attempts == 2 and taken.runner != old
    with pytest.raises(TakenOver):
        _update(job, old, status="failed")
    assert run_import_job(job_id=job.pk, retry=True).status == "done"
    assert MemberTag.objects.count() == 1  # written once


def test_a_job_whose_process_died_is_resumed_when_its_page_is_opened(
    cast, client_for, dead_pid, django_capture_on_commit_callbacks
):
    job = stuck(cast.street_a, ["甲", "乙"], runner=f"{HOST}:{dead_pid}:abcd")
    assert runner_alive(job.runner) is False and abandoned(job)
    client = client_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued when recovery commits
        response = client.get(reverse("imports:detail", args=[job.pk]))
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2  # resumed, and run by the (immediate) worker
    assert "自动重新开始（第 2 次处理）" in job.recovery
    assert job.recovery in response.content.decode()
    assert MemberTag.objects.count() == 2


def test_a_job_that_died_on_its_last_attempt_is_failed_and_the_page_says_so(
    cast, client_for, dead_pid, django_capture_on_commit_callbacks
):
    job = stuck(cast.street_a, ["甲"], status="validating", runner=f"{HOST}:{dead_pid}:abcd", attempts=3)
    client = client_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=True):  # the notification is sent on commit
        page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    message = "处理此文件的后台进程已中断 3 次，未写入任何数据；请检查文件后重新上传。"
    assert job.status == "failed" and job.errors[0]["message"] == message and job.recovery == message
    assert message in page
    assert Notification.objects.filter(recipient=cast.street_a, url=job.get_absolute_url()).exists()
    assert not MemberTag.objects.exists()


def test_a_live_run_is_left_alone(cast):
    job = stuck(cast.street_a, ["甲"], runner=f"{HOST}:{os.getpid()}:abcd")
    assert runner_alive(job.runner) is True
    assert recover(job) is None and ImportJob.objects.get(pk=job.pk).status == "writing"


def test_a_run_on_another_host_is_stale_after_its_heartbeat_stops(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.IMPORTS_STALE_AFTER = 600
    fresh = stuck(cast.street_a, ["甲"], runner="worker-2:123:abcd")
    old = stuck(
        cast.street_a, ["乙"], runner="worker-2:123:beef", heartbeat=timezone.now() - timedelta(minutes=11)
    )
    assert runner_alive(fresh.runner) is None and not abandoned(fresh) and abandoned(old)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_imports", stdout=out)
    assert out.getvalue().split() == [str(old.pk), "resumed"]
    assert ImportJob.objects.get(pk=old.pk).status == "done"
    assert ImportJob.objects.get(pk=fresh.pk).status == "writing"
    assert list(MemberTag.objects.values_list("name", flat=True)) == ["乙"]


def test_a_job_changed_meanwhile_is_not_recovered(cast, dead_pid):
    job = stuck(cast.street_a, ["甲"], runner=f"{HOST}:{dead_pid}:abcd")
    ImportJob.objects.filter(pk=job.pk).update(runner="someone-else:1:ffff")  # claimed by a retry meanwhile
    assert recover(job) is None
    assert ImportJob.objects.get(pk=job.pk).runner == "someone-else:1:ffff"
