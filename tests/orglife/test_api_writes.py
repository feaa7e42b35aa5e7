"""A filing form driven through the API by the same services as the pages: the branch's secretary drafts
and edits it (POST, PUT), files it, the organization above returns it with a guidance form, the branch
acknowledges the guidance (…/transitions/); outsiders 404, the wrong side 403."""

from datetime import timedelta

from django.utils import timezone

from grassroots.core.orglife.models import OrgLifeGuidance, PlanState


def item(topic="学习党章", day=None):
    starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    if day is not None:
        starts = starts.replace(day=day)
    return {
        "kind": "orglife_lesson",
        "topic": topic,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }


def test_a_plan_through_the_api(orgs, cast, api_for, today):
    branch = api_for(orgs.branch_sec)
    body = {"branch": orgs.branch.pk, "period_unit": "month", "period_start": str(today), "items": [item()]}
    refused = api_for(cast.street_b).post("/api/orglife-plans/", body, format="json")
    assert refused.status_code in (400, 403) and "branch" in str(refused.json())  # not their branch
    response = branch.post("/api/orglife-plans/", {**body, "items": [{**item(), "kind": "x"}]}, format="json")
    assert response.status_code == 400 and "items" in response.json()["errors"]
    response = branch.post("/api/orglife-plans/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == PlanState.DRAFT and len(response.json()["items"]) == 1
    edit = {"note": "本月重点：学习党章", "items": [item(), item("主题党日")]}
    assert api_for(orgs.parent_sec).put(f"/api/orglife-plans/{pk}/", edit, format="json").status_code == 403
    response = branch.put(f"/api/orglife-plans/{pk}/", edit, format="json")
    assert response.status_code == 200 and len(response.json()["items"]) == 2

    steps = f"/api/orglife-plans/{pk}/transitions/"
    assert branch.post(steps + "file/", {}, format="json").json()["state"] == PlanState.FILED
    above = api_for(orgs.parent_sec)
    assert above.post(steps + "return_plan/", {"comment": "请补充"}, format="json").status_code == 400
    response = above.post(steps + "return_plan/", {"required_changes": "补充党课主讲人"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == PlanState.RETURNED
    guidance = OrgLifeGuidance.objects.get(plan_id=pk)
    assert guidance.required_changes == "补充党课主讲人" and guidance.author == orgs.parent_sec
    url = f"/api/orglife-guidance/{guidance.pk}/transitions/acknowledge/"
    assert api_for(cast.street_b).post(url, {}, format="json").status_code == 404
    assert branch.post(url, {}, format="json").status_code == 200
