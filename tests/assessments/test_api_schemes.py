"""The scheme pages' forms and the hand score of a result through the API, by `services.schemes`: a write by
the assessing street, a 403 naming what is missing for the auditor, 404 for the outsider street_b, a field
error in Chinese."""

from grassroots.areas.models import Level
from grassroots.core.assessments.models import Assessment, AssessmentScheme, ComputeStatus
from grassroots.core.assessments.services import schemes as services

URL = "/api/assessment-schemes/"


def test_a_scheme_through_the_api(tree, cast, api_for, today):
    body = {"area": tree.street_a.pk, "year": today.year, "level": Level.STREET}
    street = api_for(cast.street_a)
    response = street.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"level": ["考核对象须是考核单位下级的某一层级。"]}
    body["level"] = Level.COMMUNITY
    refused = api_for(cast.auditor).post(URL, body, format="json")
    assert refused.status_code == 403 and "青江街道" in refused.json()["detail"]
    assert list(api_for(cast.street_b).post(URL, body, format="json").json()["errors"]) == ["area"]
    response = street.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    url = f"{URL}{response.json()['id']}/"

    item = {"name": "三会一课落实", "weight": "0", "method": "manual"}
    response = street.post(url + "items/", item, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"weight": ["分值须大于 0。"]}
    item["weight"] = "10"
    assert api_for(cast.street_b).post(url + "items/", item, format="json").status_code == 404
    assert api_for(cast.auditor).post(url + "items/", item, format="json").status_code == 403
    response = street.post(url + "items/", item, format="json")
    assert response.status_code == 201 and [i["name"] for i in response.json()["items"]] == ["三会一课落实"]
    item_id = response.json()["items"][0]["id"]

    copy = street.post(url + "copy/", {"year": today.year + 1}, format="json")
    assert copy.status_code == 201 and len(copy.json()["items"]) == 1
    again = street.post(url + "copy/", {"year": today.year + 1}, format="json")
    assert again.status_code == 400 and again.json()["errors"] == {
        "year": ["该单位本年度对这一层级已有考核方案。"]
    }

    assert api_for(cast.auditor).post(url + "compute/").status_code == 403
    response = street.post(url + "compute/")
    assert response.status_code == 202 and response.json()["compute_status"] == ComputeStatus.QUEUED

    response = street.post(url + "remove-item/", {"item": item_id}, format="json")
    assert response.status_code == 200 and response.json()["items"] == []
    assert AssessmentScheme.objects.count() == 2


def test_score_a_manual_item_by_hand(tree, cast, api_for, today):
    scheme = services.create_scheme(
        actor=cast.street_a, area=tree.street_a, year=today.year, level=Level.COMMUNITY
    )
    item = services.add_item(
        actor=cast.street_a, scheme=scheme, name="群众满意度", weight="10", method="manual"
    )
    services.compute_scheme(scheme=scheme)
    assessment = Assessment.objects.get(scheme=scheme, area=tree.community_a)
    url = f"/api/assessments/{assessment.pk}/score/"
    body = {"item": item.pk, "score": "11", "reason": ""}
    street = api_for(cast.street_a)
    response = street.post(url, body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"score", "reason"}
    body.update(score="8.5", reason="走访问卷")
    assert api_for(cast.street_b).post(url, body, format="json").status_code == 404
    refused = api_for(cast.auditor).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "只有考核单位可以修改考核方案或评分。"
    response = street.post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["scores"][0]["score"] == "8.50" and response.json()["total"] == "8.50"
