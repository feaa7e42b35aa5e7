"""One stored file of every kind, each made through the real upload page or service by street_a's side,
with the URL that serves it and who owns it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from grassroots.documents.services import add_attachment, create_document
from grassroots.gatherings import services as gatherings
from grassroots.imports.models import ExportJob, ImportJob
from grassroots.imports.runner import run_export_job, start_export
from grassroots.workflow.services import transition
from tests.factories import make_party_org
from tests.files.crafted import pdf_bytes, png, upload
from tests.imports.helpers import bad_check_digit, id_number, members_xlsx, row
from tests.imports.helpers import upload as xlsx_upload
from tests.workflow.factories import register


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    return settings.MEDIA_ROOT


@dataclass
class Stored:
    kind: str
    url: str
    fieldfile: object
    owner: object


@pytest.fixture
def branch(tree):
    return make_party_org("桥楼社区第一党支部", tree.community_a)


@pytest.fixture
def rejected_import(cast, branch, client_for):
    """street_a's members import with one bad row: rejected, with its uploaded file and rejected rows."""
    rows = [row("张三", id_number(), branch.name), row("李四", bad_check_digit(id_number()), branch.name)]
    response = client_for(cast.street_a).post(
        "/members/import/", {"file": xlsx_upload(members_xlsx(rows), "党员名单-张三.xlsx")}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "rejected" and job.file and job.rejected_file
    return job


@pytest.fixture
def export_job(cast, branch, settings):
    """street_a's members export written by the worker."""
    settings.EXPORTS_SYNC_MAX_ROWS = -1
    job = start_export(kind="members", user=cast.street_a, params={})
    assert isinstance(job, ExportJob)
    job = run_export_job(job_id=job.pk)
    assert job.status == "done" and job.file
    return job


@pytest.fixture
def attachment(cast, tree):
    application = register(tree.courtyard_a)
    log = transition(
        application, "verify", actor=cast.worker, attachments=[upload("核验记录.pdf", pdf_bytes())]
    )
    return log.attachments.get()


@pytest.fixture
def photo(cast, tree):
    starts = timezone.now() - timedelta(minutes=10)
    gathering = gatherings.create_gathering(
        actor=cast.street_a,
        area=tree.community_a,
        kind="meeting",
        title="院落议事会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="社区活动室",
        visibility="public",
        signup_open=True,
    )
    return gatherings.add_photo(actor=cast.street_a, gathering=gathering, image=png("会场.png"))


@pytest.fixture
def document_attachment(cast, tree):
    """An attachment of street A's standard, uploaded to its draft through the service."""
    draft = create_document(actor=cast.street_a, area=tree.street_a, kind="standard", title="青江标准")
    return add_attachment(actor=cast.street_a, version=draft, upload=upload("标准全文.pdf", pdf_bytes()))


KINDS = ["import_file", "rejected_rows", "export", "attachment", "photo", "document_attachment"]


@pytest.fixture(params=KINDS)
def stored(request, cast) -> Stored:
    """Each kind of stored file in turn."""
    kind = request.param
    if kind in ("import_file", "rejected_rows"):
        job = request.getfixturevalue("rejected_import")
        if kind == "import_file":
            return Stored(kind, f"/imports/{job.pk}/file/", job.file, cast.street_a)
        return Stored(kind, f"/imports/{job.pk}/rejected/", job.rejected_file, cast.street_a)
    if kind == "export":
        job = request.getfixturevalue("export_job")
        return Stored(kind, f"/imports/exports/{job.pk}/download/", job.file, cast.street_a)
    if kind == "attachment":
        item = request.getfixturevalue("attachment")
        return Stored(kind, f"/workflow/attachments/{item.pk}/", item.file, cast.worker)
    if kind == "document_attachment":
        item = request.getfixturevalue("document_attachment")
        return Stored(kind, f"/documents/attachments/{item.pk}/", item.file, cast.street_a)
    item = request.getfixturevalue("photo")
    return Stored(kind, f"/gatherings/{item.gathering_id}/photos/{item.pk}/", item.image, cast.street_a)
