"""The size limit is enforced while the upload streams: past it the request is no longer read (measured on
the request body's stream), nothing is stored, and the field says why."""

from __future__ import annotations

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart

from grassroots.gatherings.models import Photo
from grassroots.imports.models import ImportJob
from grassroots.workflow.models import TransitionAttachment
from tests.files.crafted import pdf_bytes, upload
from tests.imports.helpers import build_xlsx
from tests.imports.helpers import upload as xlsx_upload
from tests.workflow.factories import register

KB, MB = 1024, 1024 * 1024


class CountingPayload(FakePayload):
    """The request body, counting how much of it the server read."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def post_multipart(client, url: str, data: dict):
    """POST `data` as multipart through the test client; returns (response, bytes read, bytes sent)."""
    body = encode_multipart(BOUNDARY, data)
    payload = CountingPayload(body)
    response = client.generic(
        "POST", url, body, content_type=MULTIPART_CONTENT, follow=False, **{"wsgi.input": payload}
    )
    return response, payload.bytes_read, len(body)


@pytest.fixture
def transition_url(tree):
    application = register(tree.courtyard_a)
    ct = ContentType.objects.get_for_model(application)
    return f"/workflow/{ct.pk}/{application.pk}/verify/"


def test_a_file_past_the_limit_is_refused_without_reading_the_request_whole(
    transition_url, cast, client_for, settings
):
    settings.FILES_MAX_UPLOAD_BYTES = 100 * KB
    client = client_for(cast.worker)
    big = upload("会议记录.pdf", pdf_bytes() + os.urandom(4 * MB))
    response, read, sent = post_multipart(client, transition_url, {"comment": "见附件", "attachments": [big]})
    assert response.status_code == 302  # back to the record, with the message
    assert read < 512 * KB < sent
    assert not TransitionAttachment.objects.exists()
    page = client.get(response["Location"])
    text = " ".join(str(m) for m in page.context["messages"])
    assert "“会议记录.pdf”超过 100.0\xa0KB，未接收" in text


def test_under_the_limit_the_same_upload_goes_through(transition_url, cast, client_for, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 100 * KB
    small = upload("会议记录.pdf", pdf_bytes() + b"0" * 50 * KB)
    response, read, sent = post_multipart(client_for(cast.worker), transition_url, {"attachments": [small]})
    assert response.status_code == 302 and read == sent
    assert TransitionAttachment.objects.get().size == len(small)


def test_a_photo_past_the_limit_is_refused_at_the_field(photo, cast, client_for, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 64 * KB
    client = client_for(cast.street_a)
    big = upload("会场.jpg", b"\xff\xd8\xff\xe0" + os.urandom(2 * MB))
    response, read, sent = post_multipart(
        client, f"/gatherings/{photo.gathering_id}/photos/", {"image": big, "caption": ""}
    )
    assert read < 512 * KB < sent
    page = client.get(response["Location"])
    assert "“会场.jpg”超过 64.0\xa0KB，未接收" in page.content.decode()
    assert Photo.objects.count() == 1


def test_a_view_may_declare_a_larger_limit(cast, client_for, settings):
    """The areas import declares 20 MB: a workbook above the default limit still arrives."""
    settings.FILES_MAX_UPLOAD_BYTES = 16 * KB
    noise = [[os.urandom(400).hex()] for _ in range(100)]
    content = build_xlsx({"区域": [["编号"], *noise]})
    assert len(content) > 32 * KB
    client = client_for(cast.admin)
    _, read, sent = post_multipart(client, "/areas/import/", {"file": xlsx_upload(content)})
    assert read == sent
    assert ImportJob.objects.filter(kind="areas").exists()
