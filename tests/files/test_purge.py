"""Import files, rejected-rows workbooks and exports are deleted after FILES_RETENTION_DAYS (clock pinned);
the jobs stay, their pages say the file is gone; workflow attachments and photos are kept."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from grassroots.files.services import purge_files
from grassroots.files.tasks import purge_files as purge_task
from grassroots.imports.models import ExportJob, ImportJob

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def at_start(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def test_files_are_purged_after_the_retention_period_and_not_before(
    at_start, rejected_import, export_job, attachment, photo, settings, cast, client_for, committed
):
    settings.FILES_RETENTION_DAYS = 30
    names = [rejected_import.file.name, rejected_import.rejected_file.name, export_job.file.name]
    assert all(exists(n) for n in names)

    at_start.move_to(START + timedelta(days=29), tick=False)
    assert purge_files().as_dict() == {"imports": 0, "exports": 0, "orphans": 0}
    assert all(exists(n) for n in names)

    at_start.move_to(START + timedelta(days=31), tick=False)
    with committed(execute=True):  # the files go once the emptied fields are committed
        result = purge_files()
    assert (result.counts["imports"], result.counts["exports"]) == (1, 1)
    assert not any(exists(n) for n in names)
    job, export = ImportJob.objects.get(), ExportJob.objects.get()
    assert (job.file.name, job.rejected_file.name, export.file.name) == ("", "", "")
    assert job.status == "rejected" and job.error_count == 1  # the record of what happened stays
    assert exists(attachment.file.name) and exists(photo.image.name)  # evidence stays with its record

    client = client_for(cast.street_a)
    assert client.get(f"/imports/exports/{export.pk}/download/").status_code == 404
    assert "已删除" in client.get(f"/imports/exports/{export.pk}/").content.decode()
    assert client.get(f"/imports/{job.pk}/rejected/").status_code == 404
    assert client.get(f"/imports/{job.pk}/file/").status_code == 404
    assert "上传的文件已过保留期限，已删除" in client.get(f"/imports/{job.pk}/").content.decode()
    assert purge_files().as_dict() == {"imports": 0, "exports": 0, "orphans": 0}  # idempotent


def test_files_no_job_refers_to_are_swept_when_old(at_start, rejected_import, settings):
    settings.FILES_RETENTION_DAYS = 7
    old = default_storage.save("imports/2026/01/left-by-a-crash.xlsx", ContentFile(b"PK\x03\x04 data"))
    new = default_storage.save("exports/2026/03/just-written.xlsx", ContentFile(b"PK\x03\x04 data"))
    other = default_storage.save("workflow/2026/01/evidence.pdf", ContentFile(b"%PDF-1.4"))
    ten_days_ago = (START - timedelta(days=10)).timestamp()
    for name in (old, other, rejected_import.file.name):
        os.utime(default_storage.path(name), (ten_days_ago, ten_days_ago))
    result = purge_files()
    assert result.orphans == 1
    assert not exists(old) and exists(new) and exists(other)
    assert exists(rejected_import.file.name)  # referenced by a job still within its period


def test_the_task_and_the_command_purge(at_start, export_job, settings, capsys, committed):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FILES_RETENTION_DAYS = 1
    at_start.move_to(START + timedelta(days=2), tick=False)
    with committed(execute=True):
        result = purge_task.enqueue()
    assert result.return_value == {"imports": 0, "exports": 1, "orphans": 0}
    assert not ExportJob.objects.exclude(file="").exists() and not exists(export_job.file.name)
    call_command("purge_files")
    assert "0 imports, 0 exports, 0 orphans" in capsys.readouterr().out
