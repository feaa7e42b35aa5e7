"""Work reports, their review and scoring, inspections and findings driven through the API, by the same
services as the pages: drafting and editing (the reporter), the steps at …/transitions/ (submit; the
organization above names the meeting and the reviewers), each reviewer's score (the last concludes), an
inspection and its finding, the owner's rectification. Outsiders 404 or 400 (an id outside the scope)."""

from datetime import timedelta

from django.utils import timezone

from grassroots.core.assessments.models import Finding, ReportState, WorkReport
from tests.assessments.conftest import YEAR

REPORTS = "/api/work-reports/"


def test_a_work_report_from_draft_to_scored(cast, orgs, people, meeting, api_for):
    secretary, street = api_for(cast.secretary), api_for(cast.street_a)
    body = {"party_org": orgs.community_a.pk, "year": YEAR, "content": "一年来的工作。"}
    response = api_for(cast.street_b).post(REPORTS, body, format="json")
    assert response.status_code == 400 and "party_org" in response.json()["errors"]
    response = secretary.post(REPORTS, body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == ReportState.DRAFT
    edit = {"title": "2025年度党建述职", "content": "修改后的内容。"}
    assert street.put(f"{REPORTS}{pk}/", edit, format="json").status_code == 403  # only the reporter
    response = secretary.put(f"{REPORTS}{pk}/", edit, format="json")
    assert response.status_code == 200 and response.json()["title"] == "2025年度党建述职"

    steps = f"{REPORTS}{pk}/transitions/"
    assert secretary.post(steps + "submit/", {}, format="json").json()["state"] == ReportState.SUBMITTED
    assert "start_review" in [t["name"] for t in street.get(steps).json()]
    review = {"meeting": meeting.pk, "reviewers": [cast.street_a.pk, people.street_a2.pk]}
    response = street.post(steps + "start_review/", {"meeting": meeting.pk, "reviewers": []}, format="json")
    assert response.status_code == 400
    response = street.post(steps + "start_review/", review, format="json")
    assert response.status_code == 200 and response.json()["state"] == ReportState.UNDER_REVIEW

    assert api_for(cast.street_b).post(f"{REPORTS}{pk}/score/", {"score": 90}).status_code == 404
    response = secretary.post(f"{REPORTS}{pk}/score/", {"score": 100}, format="json")
    assert response.status_code == 403  # the reporter is not a reviewer
    assert street.post(f"{REPORTS}{pk}/score/", {"score": 101}, format="json").status_code == 400
    assert street.post(f"{REPORTS}{pk}/score/", {"score": 90}, format="json").status_code == 200
    response = api_for(people.street_a2).post(f"{REPORTS}{pk}/score/", {"score": 80}, format="json")
    assert response.status_code == 200
    assert WorkReport.objects.get(pk=pk).state == ReportState.SCORED


def test_an_inspection_and_its_finding_through_the_api(cast, tree, api_for):
    street = api_for(cast.street_a)
    body = {
        "area": tree.community_a.pk,
        "title": "三会一课专项督察",
        "inspected_on": str(timezone.localdate()),
    }
    assert api_for(cast.street_b).post("/api/inspections/", body, format="json").status_code == 400
    response = street.post("/api/inspections/", body, format="json")
    assert response.status_code == 201, response.content
    inspection = response.json()["id"]
    finding = {
        "inspection": inspection,
        "description": "会议记录不全",
        "owner": cast.secretary.pk,
        "deadline": str(timezone.localdate() + timedelta(days=30)),
    }
    assert api_for(cast.street_b).post("/api/findings/", finding, format="json").status_code == 400
    response = api_for(cast.secretary).post("/api/findings/", finding, format="json")
    assert response.status_code == 403  # the inspected side does not record findings
    response = street.post("/api/findings/", finding, format="json")
    assert response.status_code == 201 and response.json()["state"] == "rectifying"
    pk = response.json()["id"]
    url = f"/api/findings/{pk}/transitions/report_rectified/"
    response = api_for(cast.secretary).post(url, {"comment": "已补齐记录"}, format="json")
    assert response.status_code == 200, response.content
    assert Finding.objects.get(pk=pk).state == "rectified"
