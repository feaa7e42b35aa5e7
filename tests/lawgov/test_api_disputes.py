"""`/api/disputes/` and `/api/mediation-sessions/` by real requests: a resident files online and sees only
their case, masked contacts of the other side; a mediator escalates through the transitions endpoint (the
level moves with the state); a mediator of another street gets 404; the list's query count."""

from __future__ import annotations

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
