"""Upload contents are checked, not names: real crafted files through the real pages and services."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from PIL import Image

from grassroots.files.checks import ATTACHMENTS, IMAGES, SPREADSHEETS, check_upload
from grassroots.gatherings.models import Photo
from grassroots.imports.models import ImportJob
from grassroots.workflow.models import TransitionAttachment
from tests.files.crafted import HTML, docx_bytes, image_bytes, jpeg, pdf_bytes, png, upload
from tests.workflow.factories import register

MB = 1024 * 1024


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def transition_url(tree):
    application = register(tree.courtyard_a)
    ct = ContentType.objects.get_for_model(application)
    return f"/workflow/{ct.pk}/{application.pk}/verify/"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.png", HTML, "不是有效的图片"),
        ("evidence.pdf", image_bytes("PNG") + HTML, "内容与文件扩展名不符"),
        ("evidence.pdf", HTML, "内容与文件扩展名不符"),
        ("setup.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "无法识别"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "不支持“setup.exe”这种文件"),
        ("evidence.docx", docx_bytes()[:100], "无法识别"),
    ],
    ids=["html-as-png", "png-html-as-pdf", "html-as-pdf", "exe-as-docx", "exe", "cut-docx"],
)
def test_a_disguised_attachment_is_refused_with_a_clear_message(
    transition_url, cast, client_for, name, content, message
):
    client = client_for(cast.worker)
    response = client.post(
        transition_url, {"comment": "见附件", "attachments": [upload(name, content)]}, follow=True
    )
    assert message in messages_of(response) and name in messages_of(response)
    assert not TransitionAttachment.objects.exists()


def test_a_png_with_html_appended_named_png_is_stored_re_encoded_without_it(transition_url, cast, client_for):
    client = client_for(cast.worker)
    polyglot = image_bytes("PNG") + HTML
    assert client.post(transition_url, {"attachments": [upload("核验.png", polyglot)]}).status_code == 302
    item = TransitionAttachment.objects.get()
    stored = item.file.read()
    assert stored.startswith(b"\x89PNG") and b"<html" not in stored and b"script" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 6)
    served = client.get(f"/workflow/attachments/{item.pk}/")
    assert served["Content-Type"] == "image/png"


def test_images_lose_their_metadata(transition_url, cast, client_for):
    original = image_bytes("JPEG", exif=True)
    assert b"GrassrootsCam" in original and Image.open(io.BytesIO(original)).getexif()
    client = client_for(cast.worker)
    assert client.post(transition_url, {"attachments": [upload("现场.jpg", original)]}).status_code == 302
    stored = TransitionAttachment.objects.get().file.read()
    assert b"GrassrootsCam" not in stored and b"secret comment" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_documents_pass_by_their_magic_bytes(transition_url, cast, client_for):
    files = [upload("会议记录.pdf", pdf_bytes()), upload("整改方案.docx", docx_bytes()), jpeg("现场.jpeg")]
    response = client_for(cast.worker).post(transition_url, {"attachments": files})
    assert response.status_code == 302
    stored = {a.name: a.file.name for a in TransitionAttachment.objects.all()}
    assert set(stored) == {"会议记录.pdf", "整改方案.docx", "现场.jpg"}
    assert stored["整改方案.docx"].endswith(".docx") and stored["会议记录.pdf"].endswith(".pdf")


def test_a_photo_that_is_html_is_refused_at_the_field(photo, cast, client_for):
    client = client_for(cast.street_a)
    url = f"/gatherings/{photo.gathering_id}/photos/"
    response = client.post(url, {"image": upload("会场.jpg", HTML), "caption": "x"}, follow=True)
    assert "“会场.jpg”不是有效的图片" in response.content.decode()
    assert Photo.objects.count() == 1


def test_an_import_file_that_is_not_a_workbook_is_refused_at_the_field(cast, client_for, branch):
    client = client_for(cast.street_a)
    response = client.post("/members/import/", {"file": upload("党员.xlsx", HTML)})
    assert response.status_code == 200
    assert "“党员.xlsx”的内容与文件扩展名不符" in response.content.decode()
    response = client.post("/members/import/", {"file": upload("党员.xlsx", docx_bytes())})
    assert "“党员.xlsx”的内容与文件扩展名不符" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("upload_", "allowed", "code"),
    [
        (upload("a.pdf", pdf_bytes()), ATTACHMENTS, None),
        (upload("a.txt", "会议纪要：同意。".encode()), ATTACHMENTS, None),
        (upload("a.txt", "会议纪要".encode("gb18030")), ATTACHMENTS, None),
        (upload("a.png", pdf_bytes()), IMAGES, "invalid"),
        (upload("a.pdf", pdf_bytes()), IMAGES, "invalid"),
        (upload("a.docx", docx_bytes()), SPREADSHEETS, "not_allowed"),
        (upload("a.xlsx", docx_bytes()), SPREADSHEETS, "mismatch"),
        (upload("a.html", HTML), ATTACHMENTS, "not_allowed"),
        (upload("a.txt", image_bytes("PNG")), ATTACHMENTS, "mismatch"),
        (upload("a.pdf", b""), ATTACHMENTS, "empty"),
        (upload("a.pdf", pdf_bytes() + b"x" * MB), ATTACHMENTS, "too_large"),
        (png("big.png", size=(5000, 5000)), IMAGES, "too_large"),
    ],
)
def test_check_upload(upload_, allowed, code, settings):
    settings.FILES_MAX_IMAGE_PIXELS = 10_000_000
    if code is None:
        assert check_upload(upload_, allowed=allowed, max_bytes=MB).read()
    else:
        with pytest.raises(ValidationError) as info:
            check_upload(upload_, allowed=allowed, max_bytes=MB)
        assert info.value.code == code
