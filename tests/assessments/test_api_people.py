"""The agency pages' forms and the rating page through the API, by the same services: a write by the right
role, a 403 naming what is missing for the wrong one, 404 for the outsider street_b, a field error in
Chinese."""

from django.utils import timezone

from grassroots.core.assessments.models import GridRating, StationedAgency

AGENCIES = "/api/agencies/"
RATINGS = "/api/grid-ratings/"


def test_register_and_change_an_agency(tree, cast, people, api_for):
    body = {
        "street": tree.street_a.pk,
        "name": "青江派出所",
        "department": "雨城区公安分局",
        "head": "nobody",
    }
    official = api_for(cast.street_a)
    response = official.post(AGENCIES, body, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "head": ["没有这个用户名的有效账号。"]
    }
    body["head"] = "street_a2"
    refused = api_for(cast.auditor).post(AGENCIES, body, format="json")
    assert refused.status_code == 403 and "青江街道" in refused.json()["detail"]
    unseen = api_for(cast.street_b).post(AGENCIES, body, format="json")
    assert unseen.status_code == 400 and list(unseen.json()["errors"]) == ["street"]
    response = official.post(AGENCIES, body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["head"], response.json()["head_name"]) == ("street_a2", "李四")

    url = f"{AGENCIES}{response.json()['id']}/"
    edit = {"name": "青江派出所", "department": "雨城区公安分局", "head": None, "active": False}
    assert api_for(cast.street_b).put(url, edit, format="json").status_code == 404
    refused = api_for(cast.auditor).put(url, edit, format="json")
    assert refused.status_code == 403 and "青江街道" in refused.json()["detail"]
    response = official.put(url, edit, format="json")
    assert (
        response.status_code == 200 and response.json()["head"] is None and response.json()["active"] is False
    )
    assert StationedAgency.objects.get().head is None


def test_a_resident_rates_a_worker_of_their_grid(cast, people, api_for):
    body = {"worker": people.grid.pk, "score": 6}
    refused = api_for(cast.resident).post(RATINGS, body, format="json")  # not verified yet
    assert refused.status_code == 403 and "实名核验" in refused.json()["detail"]
    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    resident = api_for(cast.resident)
    response = resident.post(RATINGS, body, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"score": ["请选择 1–5 星。"]}
    other_grid = api_for(people.resident_b).post(RATINGS, {**body, "score": 5}, format="json")
    assert other_grid.status_code == 400 and other_grid.json()["errors"] == {
        "worker": ["只能评价为您所在网格服务的干部和网格员。"]
    }
    response = resident.post(RATINGS, {**body, "score": 5, "comment": "及时"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["worker_name"], response.json()["score"]) == ("杨帆", 5)
    rating = GridRating.objects.get()
    assert api_for(people.resident_b).get(f"{RATINGS}{rating.pk}/").status_code == 404  # someone else's
    assert api_for(cast.street_b).get(f"{RATINGS}{rating.pk}/").status_code == 404
    assert resident.get(RATINGS).json()["count"] == 1
