"""`/api/disputes/` and `/api/mediation-sessions/` by real requests: a resident files online and sees only
their case, masked contacts of the other side; a mediator escalates through the transitions endpoint (the
level moves with the state); a mediator of another street gets 404; the list's query count; staff receive
a case at their level and kind, a community worker not at the county."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.lawgov.models_disputes import Dispute
from tests.lawgov.conftest import verified


def test_file_follow_and_escalate_through_the_api(
    api_for, cast, tree, mediators, today, django_assert_max_num_queries
):
    resident = api_for(verified(cast.resident))
    answer = resident.post(
        "/api/disputes/",
        {
            "area": tree.courtyard_a.pk,
            "title": "楼道堆物纠纷",
            "category": "neighbours",
            "description": "邻居长期在楼道堆放杂物。",
            "channel": "online",
            "parties": [{"role": "respondent", "name": "赵六", "phone": "13700002222"}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["number"] == f"纠纷-{today.year}-0001" and body["level"] == 4
    assert [p["phone"] for p in body["parties"] if p["name"] == "赵六"] == ["137****2222"]
    pk = body["id"]
    bad = resident.post("/api/disputes/", {"area": tree.community_b.pk, "channel": "online"}, format="json")
    assert bad.status_code == 400
    assert [d["id"] for d in resident.get("/api/disputes/").json()["results"]] == [pk]

    mediator = api_for(mediators.community)
    sessions = mediator.post(
        f"/api/disputes/{pk}/sessions/",
        {"held_at": timezone.now().isoformat(), "place": "调解室", "mediator_names": "徐德明"},
        format="json",
    )
    assert sessions.status_code == 201, sessions.content
    steps = {s["name"] for s in mediator.get(f"/api/disputes/{pk}/transitions/").json()}
    assert {"start_mediation", "escalate", "refer", "close"} <= steps
    assert resident.post(f"/api/disputes/{pk}/transitions/escalate/", {"comment": "x"}).status_code == 403
    moved = mediator.post(f"/api/disputes/{pk}/transitions/escalate/", {"comment": "社区调解未果"})
    assert moved.status_code in (200, 204), moved.content
    dispute = Dispute.objects.get(pk=pk)
    assert (dispute.level, dispute.handler, dispute.state) == (3, tree.street_a, "received")
    refer = api_for(mediators.street).post(f"/api/disputes/{pk}/transitions/refer/", {"comment": "转"})
    assert refer.status_code == 400  # the kind is the step's field
    other = api_for(mediators.other_street)
    assert other.get(f"/api/disputes/{pk}/").status_code == 404
    assert other.post(f"/api/disputes/{pk}/transitions/close/", {"comment": "x"}).status_code == 404
    assert api_for(mediators.street).get("/api/mediation-sessions/").json()["count"] == 1
    assert other.get("/api/mediation-sessions/").json()["count"] == 0
    # the page's 查看 entries, their scopes and chain links: a fixed handful (test_disputes.py: 2 vs 5)
    with django_assert_max_num_queries(22):
        assert api_for(cast.street_a).get("/api/disputes/").status_code == 200


def _staff_body(area, **more):
    return {
        "area": area.pk,
        "title": "征地补偿纠纷",
        "category": "land_housing",
        "description": "征地补偿款分配有争议。",
        "channel": "grid",
        "parties": [{"role": "applicant", "name": "孙八"}, {"role": "respondent", "name": "村民小组"}],
        **more,
    }


def test_staff_receive_a_case_at_their_level_and_kind(api_for, cast, tree, mediators, today, settings):
    """A street official receives a case directly at the street as administrative mediation: the street
    handles it, the time limit is the kind's; a community worker cannot receive one at the county (the
    field says why, nothing written); a resident online keeps the community's people's mediation; another
    street's official neither files in street A's community nor sees the case (404)."""
    settings.LAWGOV_TIME_LIMITS = {**settings.LAWGOV_TIME_LIMITS, "administrative": 60}
    street = api_for(cast.street_a)
    answer = street.post(
        "/api/disputes/", _staff_body(tree.grid_a, level=3, kind="administrative"), format="json"
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["level"], body["start_level"], body["kind"]) == (3, 3, "administrative")
    assert (body["handler"], body["stages"][0]["level"]) == (tree.street_a.pk, 3)
    assert body["due_on"] == (today + timedelta(days=60)).isoformat()
    pk = body["id"]
    # the street's mediators take its steps; the community's do not: it is not at their level
    steps = {s["name"] for s in api_for(mediators.street).get(f"/api/disputes/{pk}/transitions/").json()}
    assert "escalate" in steps
    assert api_for(mediators.community).post(
        f"/api/disputes/{pk}/transitions/escalate/", {"comment": "x"}
    ).status_code in (403, 404)

    worker = api_for(cast.worker)
    refused = worker.post("/api/disputes/", _staff_body(tree.grid_a, level=2), format="json")
    assert refused.status_code == 400, refused.content
    assert "您无权在雨城区受理纠纷" in str(refused.json()["errors"]["level"])
    at_home = worker.post("/api/disputes/", _staff_body(tree.grid_a), format="json")
    assert at_home.status_code == 201 and (at_home.json()["level"], at_home.json()["kind"]) == (4, "peoples")

    resident = api_for(verified(cast.resident))
    online = _staff_body(tree.courtyard_a, channel="online", level=3)
    online_answer = resident.post("/api/disputes/", online, format="json")
    assert online_answer.status_code == 400
    assert "社区人民调解委员会" in str(online_answer.json()["errors"]["level"])

    other = api_for(cast.street_b)
    outside = other.post("/api/disputes/", _staff_body(tree.grid_a, level=3), format="json")
    assert outside.status_code == 400 and "area" in outside.json()["errors"]
    assert other.get(f"/api/disputes/{pk}/").status_code == 404
    assert Dispute.objects.count() == 2
