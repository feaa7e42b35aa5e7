"""The task list, draft, assignment and offices pages' forms through the API, by the same services: a write by
the right role, a 403 naming what is missing (or the service's refusal) for the wrong one, 404 for the
outsider street_b, a field error in Chinese."""

from datetime import timedelta

from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.duties.models import DutyTask, Office, OfficeKind
from grassroots.core.duties.services import create_office

TASKS = "/api/duty-tasks/"


def test_offices(tree, cast, api_for):
    body = {"area": tree.street_a.pk, "kind": OfficeKind.PARTY_BUILDING, "name": "党建办"}
    refused = api_for(cast.auditor).post("/api/offices/", body, format="json")
    assert refused.status_code == 403 and "青江街道" in refused.json()["detail"]
    unseen = api_for(cast.street_b).post("/api/offices/", body, format="json")
    assert unseen.status_code == 400 and list(unseen.json()["errors"]) == ["area"]
    street = api_for(cast.street_a)
    response = street.post("/api/offices/", body, format="json")
    assert response.status_code == 201 and response.json()["kind_label"] == "党建办"
    again = street.post("/api/offices/", body, format="json")
    assert again.status_code == 400 and again.json()["errors"] == {"name": ["本单位已有同名科室。"]}

    retire = f"/api/offices/{response.json()['id']}/retire/"
    assert api_for(cast.street_b).post(retire).status_code == 404
    # the auditor does not hold duties.offices: offices are not theirs to see (404), as for another street
    assert api_for(cast.auditor).post(retire).status_code == 404
    response = street.post(retire)
    assert response.status_code == 200 and response.json()["retired"] is True


def test_copy_last_years_list_issue_and_delete_drafts(tree, cast, issue, api_for, today):
    before = timezone.now() - timedelta(days=365)
    for title in ("年度党建述职", "年度组织生活检查"):
        issue(title=title, deadline=before.date() + timedelta(days=10), now=before, year=today.year - 1)
    body = {"area": tree.city.pk, "year": today.year}
    assert api_for(cast.auditor).post(TASKS + "copy/", body, format="json").status_code == 403
    city = api_for(cast.city)
    response = city.post(TASKS + "copy/", body, format="json")
    assert response.status_code == 201 and response.json()["drafts"] == 2
    again = city.post(TASKS + "copy/", body, format="json")
    assert again.status_code == 400 and "已有任务" in again.json()["errors"]["non_field_errors"][0]
    first, second = DutyTask.objects.filter(issued_at__isnull=True).order_by("pk")

    url = f"{TASKS}{first.pk}/issue/"
    form = {"title": first.title, "deadline": str(today + timedelta(days=30)), "target_level": 99}
    response = city.post(url, form, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["target_level"]
    form["target_level"] = Level.STREET
    assert api_for(cast.street_b).post(url, form, format="json").status_code == 404
    refused = api_for(cast.auditor).post(url, form, format="json")
    assert refused.status_code == 403 and "雅安市" in refused.json()["detail"]
    response = city.post(url, form, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_draft"] is False and response.json()["progress"]["total"] == 2

    assert api_for(cast.auditor).delete(f"{TASKS}{second.pk}/").status_code == 403
    assert city.delete(f"{TASKS}{second.pk}/").status_code == 204
    issued = city.delete(f"{TASKS}{first.pk}/")
    assert issued.status_code == 400 and issued.json()["detail"] == "已下发的任务不能删除。"
    assert DutyTask.objects.filter(task_list__year=today.year).count() == 1


def test_name_the_office_of_an_assignment(tree, cast, issue, api_for):
    assignment = issue().assignments.get(area=tree.street_a)
    office = create_office(actor=cast.street_a, area=tree.street_a, kind=OfficeKind.SERVICES, name="服务办")
    elsewhere = create_office(
        actor=cast.street_b, area=tree.street_b, kind=OfficeKind.SERVICES, name="服务办"
    )
    url = f"/api/duty-assignments/{assignment.pk}/office/"
    street = api_for(cast.street_a)
    response = street.post(url, {"office": elsewhere.pk}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["office"]
    assert api_for(cast.street_b).post(url, {"office": office.pk}, format="json").status_code == 404
    refused = api_for(cast.city).post(url, {"office": office.pk}, format="json")  # the issuer: not theirs
    assert refused.status_code == 403 and refused.json()["detail"] == "只有承办单位才能指定承办科室。"
    response = street.post(url, {"office": office.pk}, format="json")
    assert response.status_code == 200 and response.json()["office_name"] == "服务办"
    assert Office.objects.get(pk=office.pk).retired is False
