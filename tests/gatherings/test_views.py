"""The pages over real HTTP: who may see, manage and act; outsiders get 404, residents 403 on management."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Participant, Status
from tests.gatherings.conftest import png_upload

STEPS = {"cancel", "mark_held"}  # workflow steps: the generic transition view


def url(name, gathering, *args):
    if name in STEPS:
        content_type = ContentType.objects.get_for_model(Gathering)
        return reverse("workflow:transition", args=[content_type.pk, gathering.pk, name])
    return reverse(f"gatherings:{name}", args=[gathering.pk, *args])


def test_list_shows_what_the_user_may_see(cast, tree, client_for, make_gathering):
    make_gathering(title="社区议事会")
    make_gathering(title="两委会", visibility="invited")
    make_gathering(title="育才社区活动", area=tree.community_b, actor=cast.street_b)
    page = client_for(cast.resident).get(reverse("gatherings:list")).content.decode()
    assert "社区议事会" in page and "两委会" not in page and "育才社区活动" not in page
    page = client_for(cast.street_a).get(reverse("gatherings:list")).content.decode()
    assert "社区议事会" in page and "两委会" in page and "育才社区活动" not in page


def test_list_filters(cast, tree, client_for, make_gathering):
    make_gathering(title="听证会甲", kind="hearing")
    make_gathering(title="讲座乙", kind="lecture", area=tree.grid_a)
    make_gathering(title="往期活动", kind="activity", starts_in=timedelta(days=-3))
    client = client_for(cast.street_a)

    def shown(**params):
        content = client.get(reverse("gatherings:list"), params).content.decode()
        return {t for t in ("听证会甲", "讲座乙", "往期活动") if t in content}

    assert shown(kind="hearing") == {"听证会甲"}
    assert shown(when="past") == {"往期活动"}
    assert shown(when="upcoming") == {"听证会甲", "讲座乙"}
    assert shown(area=tree.grid_a.pk) == {"讲座乙"}
    assert shown(status="cancelled") == set()


def test_list_is_paginated(cast, client_for, make_gathering):
    for i in range(25):
        make_gathering(title=f"活动{i:02d}", starts_in=timedelta(days=i + 1))
    client = client_for(cast.street_a)
    first = client.get(reverse("gatherings:list")).content.decode()
    second = client.get(reverse("gatherings:list"), {"page": 2}).content.decode()
    assert "活动24" in first and "活动04" not in first
    assert "活动04" in second and "活动24" not in second


def test_detail_for_a_resident_has_the_sign_up_button_but_no_sheet(cast, client_for, make_gathering):
    gathering = make_gathering(capacity=10)
    response = client_for(cast.resident).get(url("detail", gathering))
    page = response.content.decode()
    assert response.status_code == 200
    assert url("sign_up", gathering) in page
    assert url("attendance", gathering) not in page and url("edit", gathering) not in page


def test_detail_for_an_organizer_has_the_sheet(cast, client_for, make_gathering):
    gathering = make_gathering()
    services.sign_up(user=cast.resident, gathering=gathering)
    page = client_for(cast.secretary).get(url("detail", gathering)).content.decode()
    assert url("attendance", gathering) in page and url("edit", gathering) in page
    assert "resident" in page  # the participant list


@pytest.mark.parametrize("name", ["detail", "edit", "attendance"])
def test_an_outsider_gets_404(cast, client_for, make_gathering, name):
    gathering = make_gathering()
    assert client_for(cast.street_b).get(url(name, gathering)).status_code == 404


@pytest.mark.parametrize("name", ["sign_up", "check_in", "cancel", "mark_held", "minutes", "invite"])
def test_an_outsider_gets_404_on_actions(cast, client_for, make_gathering, name):
    gathering = make_gathering()
    assert client_for(cast.street_b).post(url(name, gathering)).status_code == 404


def test_invited_only_is_404_for_a_resident_not_invited(cast, client_for, make_gathering):
    gathering = make_gathering(visibility="invited")
    client = client_for(cast.resident)
    assert client.get(url("detail", gathering)).status_code == 404
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.resident])
    assert client.get(url("detail", gathering)).status_code == 200


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "edit", None),
        ("get", "attendance", None),
        ("post", "edit", {"title": "x"}),
        ("post", "cancel", {"reason": "x"}),
        ("post", "mark_held", {}),
        ("post", "minutes", {"minutes": "x"}),
        ("post", "add_decision", {"text": "x"}),
        ("post", "invite", {"usernames": "resident"}),
    ],
)
def test_a_resident_who_sees_it_cannot_manage_it(cast, client_for, make_gathering, method, name, data):
    gathering = make_gathering()
    response = getattr(client_for(cast.resident), method)(url(name, gathering), data)
    assert response.status_code == 403
    gathering.refresh_from_db()
    assert gathering.status == Status.PLANNED and gathering.minutes == ""


def test_a_resident_cannot_create(cast, client_for):
    client = client_for(cast.resident)
    assert client.get(reverse("gatherings:create")).status_code == 403


def form_data(tree, **overrides):
    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    data = {
        "kind": "hearing",
        "title": "加装电梯听证会",
        "area": tree.community_a.pk,
        "party_org": "",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "社区会议室",
        "description": "议程：一、介绍方案；二、听取意见。",
        "visibility": "public",
        "capacity": "40",
        "signup_open": "on",
        "signup_deadline": "",
    }
    data.update(overrides)
    return data


def test_create_through_the_form(cast, tree, client_for):
    client = client_for(cast.secretary)
    assert client.get(reverse("gatherings:create")).status_code == 200
    response = client.post(reverse("gatherings:create"), form_data(tree))
    gathering = Gathering.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", gathering)
    assert (gathering.title, gathering.kind, gathering.capacity, gathering.organizer) == (
        "加装电梯听证会",
        "hearing",
        40,
        cast.secretary,
    )


def test_create_form_errors_are_in_chinese_on_the_field(cast, tree, client_for):
    client = client_for(cast.secretary)
    data = form_data(tree)
    data["ends_at"] = data["starts_at"]
    response = client.post(reverse("gatherings:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["结束时间必须晚于开始时间。"]
    # an area outside the secretary's scope is not a valid choice
    response = client.post(reverse("gatherings:create"), form_data(tree, area=tree.community_b.pk))
    assert "area" in response.context["form"].errors
    assert not Gathering.objects.exists()


def test_edit_through_the_form(cast, tree, client_for, make_gathering):
    gathering = make_gathering()
    client = client_for(cast.secretary)
    assert client.get(url("edit", gathering)).status_code == 200
    response = client.post(url("edit", gathering), form_data(tree, title="改期后的听证会", capacity=""))
    assert response.status_code == 302
    gathering.refresh_from_db()
    assert gathering.title == "改期后的听证会" and gathering.capacity is None


def test_sign_up_with_htmx_returns_the_panel_with_the_full_message(cast, client_for, make_gathering):
    gathering = make_gathering(capacity=1)
    services.sign_up(user=cast.worker, gathering=gathering)
    response = client_for(cast.resident).post(url("sign_up", gathering), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "名额已满（共 1 人），无法报名。" in response.content.decode()
    assert not Participant.objects.filter(user=cast.resident).exists()


def test_sign_up_and_cancel_without_htmx_redirect_with_a_message(cast, client_for, make_gathering):
    gathering = make_gathering()
    client = client_for(cast.resident)
    response = client.post(url("sign_up", gathering))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["报名成功。"]
    assert Participant.objects.get(user=cast.resident).is_signed_up
    client.post(url("cancel_sign_up", gathering))
    assert not Participant.objects.filter(user=cast.resident).exists()


def test_check_in_page_action(cast, client_for, ongoing):
    response = client_for(cast.resident).post(url("check_in", ongoing), headers={"HX-Request": "true"})
    assert "签到成功" in response.content.decode()
    assert Participant.objects.get(user=cast.resident).present is True


def test_attendance_sheet(cast, client_for, ongoing):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker])
    rows = {p.user_id: p.pk for p in ongoing.participants.all()}
    client = client_for(cast.secretary)
    page = client.get(url("attendance", ongoing)).content.decode()
    assert "resident" in page and "worker" in page
    response = client.post(
        url("attendance", ongoing),
        {
            f"mark_{rows[cast.resident.pk]}": "present",
            f"mark_{rows[cast.worker.pk]}": "absent",
            f"reason_{rows[cast.worker.pk]}": "值班",
        },
    )
    assert response.status_code == 302
    marks = dict(ongoing.participants.values_list("user__username", "present"))
    assert marks == {"resident": True, "worker": False}


def test_attendance_sheet_marks_the_absent_then_everyone_else_present(cast, client_for, ongoing):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker, cast.secretary])
    rows = {p.user_id: p.pk for p in ongoing.participants.all()}
    client = client_for(cast.secretary)
    assert "其余全部出席" in client.get(url("attendance", ongoing)).content.decode()
    data = {
        f"mark_{rows[cast.worker.pk]}": "absent",
        f"reason_{rows[cast.worker.pk]}": "值班",
        "all_present": "1",
    }
    assert client.post(url("attendance", ongoing), data).status_code == 302
    marks = dict(ongoing.participants.values_list("user__username", "present"))
    assert marks == {"resident": True, "worker": False, "secretary": True}


def test_manager_actions(cast, client_for, ongoing):
    client = client_for(cast.worker)
    client.post(url("minutes", ongoing), {"minutes": "会议议定事项如下。"})
    client.post(
        url("add_decision", ongoing),
        {"text": "清理楼道杂物", "owner": cast.worker.pk, "due_on": "2030-05-01"},
    )
    client.post(url("invite", ongoing), {"usernames": "resident"})
    client.post(url("add_photo", ongoing), {"image": png_upload(), "caption": "现场"})
    client.post(url("mark_held", ongoing))
    ongoing.refresh_from_db()
    assert ongoing.minutes == "会议议定事项如下。"
    assert ongoing.decisions.get().owner == cast.worker
    assert ongoing.participants.get().user == cast.resident
    assert ongoing.status == Status.HELD
    photo = ongoing.photos.get()
    response = client_for(cast.resident).get(url("photo", ongoing, photo.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for(cast.street_b).get(url("photo", ongoing, photo.pk)).status_code == 404


def test_a_bad_photo_is_refused_with_a_message(cast, client_for, ongoing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client_for(cast.worker).post(url("add_photo", ongoing), {"image": fake})
    assert response.status_code == 302
    assert any("图片" in str(m) for m in get_messages(response.wsgi_request))
    assert not ongoing.photos.exists()


def test_cancel_through_the_page(cast, client_for, make_gathering):
    gathering = make_gathering()
    page = client_for(cast.secretary).get(url("detail", gathering)).content.decode()
    assert url("cancel", gathering) in page and "取消原因" in page  # the step's button and its reason
    assert url("mark_held", gathering) not in page  # not begun yet
    client_for(cast.secretary).post(url("cancel", gathering), {"comment": "天气原因"})
    gathering.refresh_from_db()
    assert (gathering.status, gathering.cancel_reason) == (Status.CANCELLED, "天气原因")
    page = client_for(cast.secretary).get(url("detail", gathering)).content.decode()
    assert "办理记录" in page and "天气原因" in page and url("cancel", gathering) not in page


def test_anonymous_is_sent_to_login(db, tree, cast, client, make_gathering):
    gathering = make_gathering()
    response = client.get(url("detail", gathering))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
