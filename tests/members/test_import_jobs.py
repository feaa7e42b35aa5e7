"""The import job of members: run in the background with its progress shown while it validates and while
it writes; its pages and its rejected rows seen only in scope (street_b and the others: 404)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.members.models import Member
from grassroots.core.members.services.imports import start_member_import
from grassroots.imports.models import ImportJob
from grassroots.imports.progress import JobProgress, live_progress
from grassroots.imports.signals import batch_written
from grassroots.workflow.models import Notification
from tests.factories import make_party_org, make_user
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import bad_check_digit, id_number, members_xlsx, row, upload


@pytest.fixture
def branch(tree):
    return make_party_org("桥楼社区第一党支部", tree.community_a)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def fragment(client, job) -> str:
    response = client.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_a_large_file_runs_in_the_background_and_tells_the_uploader(
    cast, branch, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORTS_SYNC_MAX_BYTES = 0  # every file goes to the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(cast.street_a)
    rows = [row(f"党员{i}", id_number(), branch.name) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("members:import"), {"file": upload(members_xlsx(rows))})
    job = ImportJob.objects.get()
    assert job.status == "pending" and not Member.objects.exists()
    waiting = fragment(client, job)
    assert 'hx-trigger="every 1s"' in waiting and "<html" not in waiting and "等待后台任务开始处理" in waiting
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the notification is sent on commit
        callbacks[0]()  # the upload commits: the task is enqueued and (immediate backend) runs
    job.refresh_from_db()
    assert job.status == "done" and Member.objects.count() == 5 and job.processed_rows == 5
    finished = fragment(client, job)
    assert "every 1s" not in finished and "导入成功：写入 5 名党员" in finished
    note = Notification.objects.get(recipient=cast.street_a)
    assert note.verb == "导入完成：members.xlsx" and note.url == reverse("imports:detail", args=[job.pk])


def test_progress_while_validating_is_saved_on_the_job(cast, branch, client_for):
    job = ImportJob.objects.create(
        kind="members", created_by=cast.street_a, file=upload(b"x"), status="validating"
    )
    JobProgress(job, "validating")(5, 10)
    job.refresh_from_db()
    assert (job.processed_rows, job.total_rows, job.percent) == (5, 10, 50)
    page = fragment(client_for(cast.street_a), job)
    assert "已校验 5 / 10 行" in page and 'aria-valuenow="50"' in page


def test_progress_while_writing_goes_to_the_cache_not_to_the_locked_database(cast, branch, client_for):
    job = ImportJob.objects.create(
        kind="members", created_by=cast.street_a, file=upload(b"x"), status="writing", total_rows=10
    )
    client = client_for(cast.street_a)
    assert "正在写入数据库" in fragment(client, job)  # no live count: an indeterminate bar
    JobProgress(job, "writing", total=10, in_transaction=True)(4)
    job.refresh_from_db()
    assert job.processed_rows == 0  # the row is not touched inside the import's transaction
    assert live_progress(job) == {"status": "writing", "done": 4, "total": 10}
    page = fragment(client, job)
    assert "已写入 4 / 10 行" in page and 'aria-valuenow="40"' in page


def test_a_real_import_reports_each_batch_while_its_transaction_is_open(
    cast, branch, client_for, monkeypatch
):
    monkeypatch.setattr("grassroots.core.members.transfer.write.BATCH", 2)
    monkeypatch.setattr("grassroots.imports.progress.INTERVAL", 0)
    client = client_for(cast.street_a)
    seen = []

    def look(sender, job, done, total, **kwargs):
        page = fragment(client, job)  # the page, asked in the middle of the write
        seen.append((done, total, Member.objects.count(), f"已写入 {done} / {total} 行" in page))

    batch_written.connect(look)
    try:
        job = start_member_import(
            file=upload(members_xlsx([row(f"党员{i}", id_number(), branch.name) for i in range(5)])),
            actor=cast.street_a,
        )
    finally:
        batch_written.disconnect(look)
    assert job.status == "done"
    assert seen == [(2, 5, 2, True), (4, 5, 4, True), (5, 5, 5, True)]


@pytest.fixture
def rejected_job(cast, branch):
    rows = [row("张三", id_number(), branch.name), row("李四", bad_check_digit(id_number()), branch.name)]
    job = start_member_import(file=upload(members_xlsx(rows)), actor=cast.street_a)
    assert job.status == "rejected" and job.rejected_file
    return job


@pytest.mark.parametrize(
    ("who", "page", "rejected"),
    [
        ("street_a", 200, 200),  # the uploader
        ("city", 200, 200),  # a city official: the job's area is in scope, full numbers too
        ("admin", 200, 200),
        ("street_b", 404, 404),  # the outsider
        ("secretary", 404, 404),  # 桥楼社区 lies below the job's area (the uploader's street)
        ("worker", 404, 404),
        ("resident", 404, 404),
        ("auditor", 404, 404),
    ],
)
def test_the_jobs_pages_in_scope_only(cast, client_for, rejected_job, who, page, rejected):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("imports:detail", args=[rejected_job.pk])).status_code == page
    assert (
        client.get(reverse("imports:detail", args=[rejected_job.pk]), HTTP_HX_REQUEST="true").status_code
        == page
    )
    assert client.get(reverse("imports:rejected", args=[rejected_job.pk])).status_code == rejected


def test_the_rejected_rows_need_full_numbers_in_scope(cast, tree, client_for, rejected_job):
    """A community worker on the street may import (and so sees the job) but may not see full ID numbers:
    the rejected rows, which carry them, are not theirs to download."""
    worker = make_user("street_worker", Role.COMMUNITY_WORKER, tree.street_a)
    client = client_for(worker)
    page = client.get(reverse("imports:detail", args=[rejected_job.pk]))
    assert page.status_code == 200 and 'id="rejected-download"' not in page.content.decode()
    assert client.get(reverse("imports:rejected", args=[rejected_job.pk])).status_code == 404
    owner = client_for(cast.street_a).get(reverse("imports:detail", args=[rejected_job.pk]))
    assert 'id="rejected-download"' in owner.content.decode()


def test_the_upload_page_lists_the_jobs_in_scope(cast, client_for, rejected_job):
    assert (
        f'href="/imports/{rejected_job.pk}/"'
        in client_for(cast.city).get(reverse("members:import")).content.decode()
    )
    assert (
        f'href="/imports/{rejected_job.pk}/"'
        not in client_for(cast.street_b).get(reverse("members:import")).content.decode()
    )


def test_many_errors_are_grouped_by_reason_with_counts_and_their_first_rows(cast, branch, client_for):
    rows = [row(f"党员{i}", bad_check_digit(id_number()), branch.name) for i in range(12)]
    rows += [row("", id_number(), branch.name) for _ in range(2)]
    job = start_member_import(file=upload(members_xlsx(rows)), actor=cast.street_a)
    assert job.status == "rejected" and job.error_count == 14

    page = fragment(client_for(cast.street_a), job)
    start = page.index('id="import-errors"')
    section = page[start : page.index("</section>", start)]
    assert section.count('class="list-group-item"') == 2  # two reasons, not fourteen lines
    first, second = section.split('class="list-group-item"')[1:]
    assert "身份证号" in first and ">12<" in first and "第 2、3、4、5、6 行" in first and "另有 7 行" in first
    assert "此项必填" in second and ">2<" in second and "第 14、15 行" in second and "另有" not in second
    assert 'id="rejected-download"' in page  # every row is in the rejected-rows workbook
