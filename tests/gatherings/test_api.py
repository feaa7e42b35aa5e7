"""/api/gatherings/: scoped like the pages, filtered by the same filter, with attendance counts and the
sign-up and check-in actions."""

from datetime import timedelta

from django.utils import timezone

from grassroots.gatherings import services
from grassroots.gatherings.models import Participant

API = "/api/gatherings/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_is_scoped(cast, tree, client_for, make_gathering):
    mine = make_gathering(title="社区议事会")
    invited = make_gathering(title="两委会", visibility="invited")
    other = make_gathering(title="育才社区活动", area=tree.community_b, actor=cast.street_b)
    assert ids(client_for(cast.resident).get(API)) == {mine.pk}
    assert ids(client_for(cast.street_a).get(API)) == {mine.pk, invited.pk}
    assert ids(client_for(cast.street_b).get(API)) == {other.pk}


def test_outsider_gets_404_on_detail_and_actions(cast, client_for, make_gathering):
    gathering = make_gathering()
    client = client_for(cast.street_b)
    assert client.get(f"{API}{gathering.pk}/").status_code == 404
    assert client.post(f"{API}{gathering.pk}/sign-up/").status_code == 404
    assert client.post(f"{API}{gathering.pk}/check-in/").status_code == 404
    assert not Participant.objects.exists()


def test_anonymous_is_refused(db, cast, client, make_gathering):
    make_gathering()
    assert client.get(API).status_code in (401, 403)


def test_filters(cast, tree, client_for, make_gathering):
    hearing = make_gathering(kind="hearing", starts_in=timedelta(days=10))
    lecture = make_gathering(kind="lecture", area=tree.grid_a, starts_in=timedelta(days=1))
    past = make_gathering(kind="activity", starts_in=timedelta(days=-5))
    cancelled = make_gathering(kind="activity", starts_in=timedelta(days=2))
    services.cancel_gathering(actor=cast.street_a, gathering=cancelled)
    client = client_for(cast.street_a)
    assert ids(client.get(API, {"kind": "hearing"})) == {hearing.pk}
    assert ids(client.get(API, {"status": "cancelled"})) == {cancelled.pk}
    assert ids(client.get(API, {"area": tree.grid_a.pk})) == {lecture.pk}
    assert ids(client.get(API, {"when": "past"})) == {past.pk}
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert ids(
        client.get(API, {"starts_after": timezone.localdate().isoformat(), "starts_before": soon})
    ) == {
        lecture.pk,
        cancelled.pk,
    }
    upcoming = client.get(API, {"when": "upcoming"}).json()["results"]
    assert [row["id"] for row in upcoming] == [lecture.pk, hearing.pk]  # soonest first
    assert client.get(API, {"kind": "no_such_kind"}).status_code == 400


def test_attendance_counts_and_me(cast, client_for, ongoing):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker, cast.secretary])
    services.record_attendance(actor=cast.street_a, gathering=ongoing, person=cast.worker, present=True)
    services.record_attendance(actor=cast.street_a, gathering=ongoing, person=cast.secretary, present=False)
    row = client_for(cast.resident).get(f"{API}{ongoing.pk}/").json()
    assert row["attendance"] == {"invited": 2, "signed_up": 1, "present": 1, "absent": 1}
    assert row["me"] == {"invited": False, "signed_up": True}
    assert row["kind_label"] == "工作会议"
    assert row["url"] == f"/gatherings/{ongoing.pk}/"


def test_sign_up_action_and_the_full_message(cast, client_for, make_gathering):
    gathering = make_gathering(capacity=1)
    response = client_for(cast.resident).post(f"{API}{gathering.pk}/sign-up/")
    assert response.status_code == 200
    assert response.json()["attendance"]["signed_up"] == 1 and response.json()["me"]["signed_up"] is True
    response = client_for(cast.worker).post(f"{API}{gathering.pk}/sign-up/")
    assert response.status_code == 400
    assert response.json() == {"detail": "名额已满（共 1 人），无法报名。", "code": "full", "errors": {}}
    response = client_for(cast.resident).post(f"{API}{gathering.pk}/cancel-sign-up/")
    assert response.status_code == 200 and response.json()["attendance"]["signed_up"] == 0


def test_check_in_action(cast, client_for, make_gathering, ongoing):
    client = client_for(cast.resident)
    assert client.post(f"{API}{ongoing.pk}/check-in/").json()["attendance"]["present"] == 1
    early = make_gathering()
    response = client.post(f"{API}{early.pk}/check-in/")
    assert response.status_code == 400 and "签到时间" in response.json()["detail"]


def test_a_gathering_is_never_deleted_through_the_api(cast, client_for, make_gathering):
    gathering = make_gathering()
    assert client_for(cast.street_a).delete(f"{API}{gathering.pk}/").status_code == 405


def test_token_auth(cast, client, make_gathering):
    from tests.factories import api_token

    gathering = make_gathering()
    response = client.get(API, headers={"Authorization": f"Token {api_token(cast.resident)}"})
    assert {row["id"] for row in response.json()["results"]} == {gathering.pk}


def test_schema_lists_the_endpoints(cast, client_for):
    schema = client_for(cast.admin).get("/api/schema/").content.decode()
    assert "/api/gatherings/{id}/sign-up/" in schema and "/api/gatherings/{id}/check-in/" in schema


def test_check_out_on_the_page_and_in_the_api(cast, tree, client_for, ongoing, time_machine):
    """The gathering's own page offers 签退 once one checked in (and the API the same step); check-in to
    check-out is what volunteer service counts. Another street's official: 404, nothing changed."""
    page = client_for(cast.resident)
    api = client_for(cast.resident)
    refused = api.post(f"{API}{ongoing.pk}/check-out/")
    assert refused.status_code == 400 and refused.json()["code"] == "not_checked_in"
    assert 'data-step="check-out"' not in page.get(ongoing.get_absolute_url()).content.decode()  # not in yet
    assert page.post(f"/gatherings/{ongoing.pk}/check-in/").status_code == 302
    time_machine.move_to(timezone.now() + timedelta(minutes=40), tick=False)
    assert 'data-step="check-out"' in page.get(ongoing.get_absolute_url()).content.decode()
    assert client_for(cast.street_b).post(f"/gatherings/{ongoing.pk}/check-out/").status_code == 404
    assert client_for(cast.street_b).post(f"{API}{ongoing.pk}/check-out/").status_code == 404
    answer = page.post(f"/gatherings/{ongoing.pk}/check-out/", headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "签退成功" in answer.content.decode()
    row = Participant.objects.get(gathering=ongoing, user=cast.resident)
    assert row.checked_out_at is not None and row.checked_out_at > row.checked_in_at
    again = api.post(f"{API}{ongoing.pk}/check-out/")
    assert again.status_code == 400 and again.json()["code"] == "already"
    # the API's step for another participant: checked in by the API, out by the API
    worker = client_for(cast.worker)
    assert worker.post(f"{API}{ongoing.pk}/check-in/").status_code == 200
    time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
    assert worker.post(f"{API}{ongoing.pk}/check-out/").status_code == 200
    assert Participant.objects.get(gathering=ongoing, user=cast.worker).checked_out_at is not None
