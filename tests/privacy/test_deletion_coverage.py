"""A member's care visits, contact attempts and dues payments, and the photos and workflow attachments a
person uploaded, are on their data page (and /api/me/data/) and handled by a deletion: the visits and
contacts kept without their free text, the payments kept, the photos deleted with their files, the
attachments kept as the workflow's evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from grassroots.accounts.models import ResidentVerification
from grassroots.core.members.models import CareVisit, ContactAttempt, DuesPayment
from grassroots.gatherings.models import Gathering, Participant, Photo
from grassroots.privacy.services import submit_request
from grassroots.workflow.models import TransitionAttachment, TransitionLog
from grassroots.workflow.services import transition


@pytest.fixture
def records(resident, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = resident.member_record
    visit = CareVisit.objects.create(
        member=member, visitor=cast.secretary, kind="illness", help_given="送去慰问金", notes="术后在家休养"
    )
    contact = ContactAttempt.objects.create(
        member=member, method="phone", by=cast.secretary, reached=True, result="在成都务工，住双流"
    )
    payment = DuesPayment.objects.create(
        member=member,
        year=2026,
        month=4,
        amount=Decimal("12.50"),
        paid_on=date(2026, 4, 3),
        recorded_by=cast.secretary,
    )
    gathering = Participant.objects.get(user=resident).gathering
    photo = Photo(gathering=gathering, caption="议事会现场", uploaded_by=resident)
    photo.image.save("p.jpg", ContentFile(b"\xff\xd8\xff-not-really-a-jpeg"), save=True)
    log = TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(ResidentVerification),
        object_id=ResidentVerification.objects.get(user=resident).pk,
        actor=resident,
        transition="submit",
        to_state="pending",
    )
    attachment = TransitionAttachment.objects.create(log=log, file="workflow/x.pdf", name="王小明户口本.pdf")
    return visit, contact, payment, photo, attachment


def test_they_are_on_the_page_and_in_the_api(records, resident, client_for, api_for):
    page = client_for(resident).get("/privacy/mine/").content.decode()
    for text in (
        "关爱走访",
        "术后在家休养",
        "联系记录",
        "在成都务工，住双流",
        "党费缴纳",
        "12.50",
        "议事会现场",
        "王小明户口本.pdf",
    ):
        assert text in page
    data = api_for(resident).get("/api/me/data/").json()
    assert data["members.care_visit"]["rows"][0]["帮扶内容"] == "送去慰问金"
    assert data["members.contact"]["rows"][0]["联系结果"] == "在成都务工，住双流"
    assert data["members.dues"]["rows"][0]["月份"] == 4
    assert data["gatherings.photo"]["rows"][0]["说明"] == "议事会现场"
    assert data["workflow.attachment"]["rows"][0]["文件名"] == "王小明户口本.pdf"


def test_a_deletion_handles_them(records, resident, cast, django_capture_on_commit_callbacks):
    visit, contact, payment, photo, attachment = records
    stored = photo.image.name
    assert default_storage.exists(stored)
    record = submit_request(user=resident, kind="deletion")
    with django_capture_on_commit_callbacks(execute=True):
        transition(record, "complete", actor=cast.street_a)

    visit.refresh_from_db()
    contact.refresh_from_db()
    assert (visit.kind, visit.help_given, visit.notes) == ("illness", "", "")
    assert (contact.reached, contact.result) == (True, "")
    assert DuesPayment.objects.filter(pk=payment.pk).exists()
    assert not Photo.objects.filter(pk=photo.pk).exists() and not default_storage.exists(stored)
    assert Gathering.objects.filter(pk=photo.gathering_id).exists()
    assert TransitionAttachment.objects.filter(pk=attachment.pk).exists()
    record.refresh_from_db()
    for line in (
        "关爱走访：假名化 1 条",
        "联系记录：假名化 1 条",
        "党费缴纳：保留 1 条",
        "上传的现场照片：删除 1 条",
        "上传的流程附件：保留 1 条",
    ):
        assert line in record.outcome
