"""Every step the gathering pages offer, also through `/api/gatherings/` (token auth, the pages' services):
create and change, invite, the attendance sheet, minutes, decisions, photos; the organizer may, a resident who
sees the gathering gets 403, the outsider (street_b) 404, and a bad field 400 on that field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Participant, Status
from grassroots.workflow.selectors import timeline
from tests.gatherings.conftest import png_upload

API = "/api/gatherings/"


def when(**delta):
    return (timezone.now() + timedelta(**delta)).isoformat()


def test_create_and_change_through_the_api(cast, tree, api_for):
    body = {
        "kind": "hearing",
        "title": "加装电梯听证会",
        "area": tree.community_a.pk,
        "starts_at": when(days=3),
        "ends_at": when(days=3, hours=2),
        "capacity": 30,
        "signup_open": True,
    }
    response = api_for(cast.worker).post(API, body, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    gathering = Gathering.objects.get(pk=row["id"])
    assert (row["status"], row["organizer"], row["capacity"]) == ("planned", cast.worker.pk, 30)
    assert [e.log.transition for e in timeline(gathering)] == ["start"]

    response = api_for(cast.worker).patch(f"{API}{gathering.pk}/", {"capacity": 50}, format="json")
    assert response.status_code == 200 and response.json()["capacity"] == 50
    assert response.json()["title"] == "加装电梯听证会"  # PATCH changes only what is sent

    bad = {**body, "ends_at": when(days=2)}
    response = api_for(cast.worker).post(API, bad, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "ends_at": ["结束时间必须晚于开始时间。"]
    }
    # A resident sees their courtyard but may not organize there; street_b cannot even name the community.
    response = api_for(cast.resident).post(API, {**body, "area": tree.courtyard_a.pk}, format="json")
    assert response.status_code == 403 and "组织会议活动" in response.json()["detail"]
    assert api_for(cast.street_b).post(API, body, format="json").status_code == 400
    assert (
        api_for(cast.resident).patch(f"{API}{gathering.pk}/", {"capacity": 5}, format="json").status_code
        == 403
    )
    assert (
        api_for(cast.street_b).patch(f"{API}{gathering.pk}/", {"capacity": 5}, format="json").status_code
        == 404
    )
    assert Gathering.objects.count() == 1 and Gathering.objects.get().capacity == 50


def test_invite_attendance_and_the_sheet(cast, api_for, ongoing):
    organizer = api_for(cast.street_a)
    url = f"{API}{ongoing.pk}/"
    response = organizer.post(f"{url}invite/", {"usernames": ["resident", "worker"]}, format="json")
    assert response.status_code == 200 and {r["user"] for r in response.json()} == {
        cast.resident.pk,
        cast.worker.pk,
    }
    response = organizer.post(f"{url}invite/", {"usernames": ["nobody"]}, format="json")
    assert response.status_code == 400 and "nobody" in response.json()["errors"]["usernames"][0]

    marks = [
        {"user": cast.resident.pk, "present": True},
        {"user": cast.worker.pk, "present": False, "absence_reason": "外出"},
    ]
    response = organizer.post(f"{url}attendance/", {"marks": marks}, format="json")
    assert response.status_code == 200, response.content
    assert {(r["user"], r["present"], r["absence_reason"]) for r in response.json()} == {
        (cast.resident.pk, True, ""),
        (cast.worker.pk, False, "外出"),
    }
    # Someone not on the list reads as missing (never named).
    response = organizer.post(
        f"{url}attendance/", {"marks": [{"user": cast.city.pk, "present": True}]}, format="json"
    )
    assert response.status_code == 400 and "marks" in response.json()["errors"]
    rows = organizer.get(f"{url}participants/").json()
    assert {r["user"] for r in rows} == {cast.resident.pk, cast.worker.pk}

    resident, outsider = api_for(cast.resident), api_for(cast.street_b)
    assert resident.get(f"{url}participants/").status_code == 403
    assert resident.post(f"{url}attendance/", {"marks": marks}, format="json").status_code == 403
    assert resident.post(f"{url}invite/", {"usernames": ["worker"]}, format="json").status_code == 403
    for path in ("attendance/", "invite/"):
        assert outsider.post(f"{url}{path}", {}, format="json").status_code == 404
    assert outsider.get(f"{url}participants/").status_code == 404


def test_presence_is_refused_before_the_start(cast, api_for, make_gathering):
    gathering = make_gathering()
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.resident])
    marks = [{"user": cast.resident.pk, "present": True}]
    response = api_for(cast.street_a).post(
        f"{API}{gathering.pk}/attendance/", {"marks": marks}, format="json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "会议活动尚未开始。"
    assert Participant.objects.get().present is None


def test_minutes_decisions_and_photos(cast, api_for, ongoing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organizer, resident, outsider = api_for(cast.worker), api_for(cast.resident), api_for(cast.street_b)
    url = f"{API}{ongoing.pk}/"
    response = organizer.post(f"{url}minutes/", {"minutes": " 会议议定事项如下。 "}, format="json")
    assert response.status_code == 200 and response.json()["minutes"] == "会议议定事项如下。"

    decision = {"text": "清理楼道杂物", "owner": cast.worker.pk, "due_on": "2030-05-01"}
    response = organizer.post(f"{url}decisions/", decision, format="json")
    assert response.status_code == 201 and response.json()["owner_name"] == cast.worker.display_name
    response = organizer.post(f"{url}decisions/", {**decision, "owner": cast.street_b.pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]  # not one the page offers
    assert [d["text"] for d in resident.get(f"{url}decisions/").json()] == ["清理楼道杂物"]

    response = organizer.post(f"{url}photos/", {"image": png_upload(), "caption": "现场"}, format="multipart")
    assert response.status_code == 201, response.content
    photo_url = response.json()["url"]
    assert [p["caption"] for p in resident.get(f"{url}photos/").json()] == ["现场"]
    assert api_for(cast.resident).get(photo_url).status_code in (200, 302)  # the scoped page view
    bad = {"image": png_upload().__class__("x.png", b"not an image", content_type="image/png")}
    assert organizer.post(f"{url}photos/", bad, format="multipart").status_code == 400

    for path, body in (("minutes/", {"minutes": "x"}), ("decisions/", {"text": "x"})):
        assert resident.post(f"{url}{path}", body, format="json").status_code == 403
        assert outsider.post(f"{url}{path}", body, format="json").status_code == 404
    assert resident.post(f"{url}photos/", {"image": png_upload()}, format="multipart").status_code == 403
    for path in ("decisions/", "photos/"):
        assert outsider.get(f"{url}{path}").status_code == 404
    ongoing.refresh_from_db()
    assert ongoing.decisions.count() == 1 and ongoing.photos.count() == 1


def test_cancel_through_the_steps_and_nothing_more_is_written(cast, api_for, make_gathering):
    gathering = make_gathering()
    services.sign_up(user=cast.resident, gathering=gathering)
    url = f"{API}{gathering.pk}/"
    steps = [t["name"] for t in api_for(cast.street_a).get(f"{url}transitions/").json()]
    assert steps == ["cancel"]  # "held" only once it has begun
    response = api_for(cast.street_a).post(f"{url}transitions/cancel/", {"comment": "暴雨"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == Status.CANCELLED
    assert response.json()["cancel_reason"] == "暴雨"
    response = api_for(cast.street_a).post(f"{url}minutes/", {"minutes": "x"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "该会议活动已取消。"
    assert api_for(cast.street_b).get(f"{url}transitions/").status_code == 404
    assert api_for(cast.resident).post(f"{url}transitions/cancel/", {}, format="json").status_code == 400


@pytest.mark.parametrize("path", ["sign-up/", "cancel-sign-up/", "check-in/", "transitions/mark_held/"])
def test_the_outsider_gets_404_on_every_action(cast, api_for, ongoing, path):
    assert api_for(cast.street_b).post(f"{API}{ongoing.pk}/{path}", {}, format="json").status_code == 404
