"""The append-only log, its attachments and the timeline that shows it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client

from grassroots.workflow.models import AppendOnlyError, TransitionAttachment, TransitionLog
from grassroots.workflow.services import TransitionRefused, transition
from tests.factories import PASSWORD, make_user
from tests.files.crafted import jpeg, png


def test_a_log_row_cannot_be_edited_or_deleted(application, cast):
    log = transition(application, "verify", actor=cast.worker, comment="核实无误")
    log.comment = "改过的说明"
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()
    rows = TransitionLog.objects.filter(pk=log.pk)
    with pytest.raises(AppendOnlyError):
        rows.update(comment="改过的说明")
    with pytest.raises(AppendOnlyError):
        rows.delete()
    log.refresh_from_db()
    assert log.comment == "核实无误"


def test_an_attachment_cannot_be_edited_or_deleted(application, cast):
    log = transition(
        application,
        "verify",
        actor=cast.worker,
        attachments=[SimpleUploadedFile("核验记录.pdf", b"%PDF-1.4")],
    )
    attachment = log.attachments.get()
    attachment.name = "x.pdf"
    with pytest.raises(AppendOnlyError):
        attachment.save()
    with pytest.raises(AppendOnlyError):
        attachment.delete()
    with pytest.raises(AppendOnlyError):
        TransitionAttachment.objects.all().delete()


def test_the_admin_shows_the_log_read_only(application, cast):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.login(username=admin.username, password=PASSWORD)
    log = TransitionLog.objects.get()
    assert client.get("/django-admin/workflow/transitionlog/").status_code == 200
    assert client.get("/django-admin/workflow/transitionlog/add/").status_code == 403
    assert (
        client.post(f"/django-admin/workflow/transitionlog/{log.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(f"/django-admin/workflow/transitionlog/{log.pk}/change/", {"comment": "x"})
    assert response.status_code == 403
    assert TransitionLog.objects.filter(pk=log.pk).exists()


def render_timeline(record) -> str:
    return Template("{% load workflow %}{% timeline record %}").render(Context({"record": record}))


def test_the_timeline_shows_who_when_from_to_why_and_files(application, cast):
    transition(application, "reject", actor=cast.worker, comment="门牌号不对")
    transition(application, "resubmit", actor=application.user, comment="已改正")
    transition(
        application,
        "verify",
        actor=cast.secretary,
        attachments=[jpeg("照片.jpg")],
    )
    html = render_timeline(application)
    for text in (
        "提交申请",
        "退回",
        "门牌号不对",
        "修改并重新提交",
        "已改正",
        "核验通过",
        "worker",
        "secretary",
    ):
        assert text in html
    assert html.index("待核验") < html.index("已退回") < html.index("已核验")
    attachment = TransitionAttachment.objects.get()
    assert f'href="/workflow/attachments/{attachment.pk}/"' in html
    assert "照片.jpg" in html
    # the arrow between the states is read as a word, not an aria-label on a bare <i> (axe: prohibited)
    assert '<span class="visually-hidden">变为</span>' in html
    assert 'aria-label="变为"' not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_timeline_costs_two_queries_whatever_its_length(
    application, cast, rows, django_assert_num_queries
):
    ct = ContentType.objects.get_for_model(application)
    TransitionLog.objects.bulk_create(
        TransitionLog(
            content_type=ct,
            object_id=application.pk,
            actor=cast.worker,
            transition="verify",
            from_state="pending",
            to_state="pending",
            comment=f"第{i}次",
        )
        for i in range(rows)
    )
    # 1: the log with its actors (select_related); 2: all attachments of those rows (prefetch)
    with django_assert_num_queries(2):
        html = render_timeline(application)
    assert html.count('<li class="border-start') == rows + 1


def test_attachments_are_checked_before_anything_is_written(application, cast):
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "verify", actor=cast.worker, attachments=[SimpleUploadedFile("a.exe", b"MZ")])
    assert refused.value.code == "attachment"
    assert "不支持“a.exe”这种文件" in refused.value.message
    too_many = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(6)]
    with pytest.raises(TransitionRefused):
        transition(application, "verify", actor=cast.worker, attachments=too_many)
    application.refresh_from_db()
    assert application.state == "pending"
    assert TransitionLog.objects.count() == 1


def test_an_attachment_is_served_only_to_those_who_see_the_record(application, cast, people, client_for):
    client = client_for(cast.worker)
    url = f"/workflow/{ContentType.objects.get_for_model(application).pk}/{application.pk}/verify/"
    upload = png("核验照片.png")
    assert client.post(url, {"comment": "见附件", "attachments": [upload]}).status_code == 302
    attachment = TransitionAttachment.objects.get()
    assert attachment.name == "核验照片.png"
    assert not attachment.file.name.endswith("核验照片.png")  # stored under a random name

    download = f"/workflow/attachments/{attachment.pk}/"
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG\r\n")  # the re-encoded image

    applicant = Client()
    applicant.login(username=application.user.username, password=PASSWORD)
    assert applicant.get(download).status_code == 200
    for outsider in (cast.street_b, people.worker_b, cast.resident):
        assert client_for(outsider).get(download).status_code == 404
    assert Client().get(download).status_code == 302  # anonymous → login
