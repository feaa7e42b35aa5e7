"""/api/admitted-affairs/ and /api/admission-requests/: scoped reads (street_b 404), writes through the
services, the steps of a request as actions, query counts."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.admission.models import AdmittedAffair, RequestState

AFFAIRS = "/api/admitted-affairs/"
REQUESTS = "/api/admission-requests/"


def make_affair(area, name, **fields):
    return AdmittedAffair.objects.create(
        area=area,
        name=name,
        legal_basis="依据",
        department="部门",
        funds_per_community=Decimal("1000"),
        valid_from=fields.pop("valid_from", date(2020, 1, 1)),
        **fields,
    )


def test_affairs_scope_filters_and_create(cast, tree, county, api_for):
    make_affair(tree.city, "城市事项")
    a = make_affair(tree.street_a, "青江事项")
    make_affair(tree.county, "过期事项", valid_to=date(2021, 1, 1))
    names = lambda user, q="": {r["name"] for r in api_for(user).get(AFFAIRS + q).json()["results"]}  # noqa: E731
    assert names(cast.street_a) == {"城市事项", "青江事项", "过期事项"}
    assert names(cast.street_b) == {"城市事项", "过期事项"}
    assert names(cast.street_b, "?valid_on=2024-06-01") == {"城市事项"}
    assert names(cast.city, "?q=青江") == {"青江事项"}
    assert names(cast.resident) == set()
    assert api_for(cast.street_b).get(f"{AFFAIRS}{a.pk}/").status_code == 404
    body = {
        "area": tree.county.pk,
        "name": "新事项",
        "legal_basis": "依据",
        "department": "区民政局",
        "powers": "",
        "funds_per_community": "500.00",
        "valid_from": "2025-01-01",
    }
    # 权随责走: no powers and no reason → 400 at the field
    response = api_for(county).post(AFFAIRS, body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["powers"]
    assert response.json()["errors"]["powers"][0].startswith("权随责走")
    body["powers"] = "入户核验"
    response = api_for(county).post(AFFAIRS, body, format="json")
    assert response.status_code == 201 and response.json()["area_name"] == "雨城区"
    assert response.json()["complies"] is True
    response = api_for(cast.street_a).post(AFFAIRS, {**body, "area": tree.street_a.pk}, format="json")
    # street_a sees the area but keeps no catalog there: a refusal saying what is missing
    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "您没有在“青江街道”维护社区事务准入目录的权限。"
    assert response.json()["code"] == "permission_denied"
    response = api_for(county).post(AFFAIRS, {**body, "valid_to": "2024-01-01"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "valid_to": ["有效期至不能早于有效期自。"]
    }


def test_requests_file_and_steps(cast, tree, county, county2, api_for):
    body = {
        "area": tree.street_a.pk,
        "department": "雨城区民政局",
        "name": "高龄津贴资格认证",
        "legal_basis": "条例",
        "justification": "理由",
        "powers": "入户核验",
        "funds_per_community": "8000.00",
        "valid_from": "2025-01-01",
    }
    response = api_for(county).post(REQUESTS, body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    url = f"{REQUESTS}{pk}/"
    step = url + "transitions/"
    assert response.json()["state"] == RequestState.SUBMITTED and response.json()["filed_by"] == county.pk
    assert api_for(cast.street_a).post(REQUESTS, body, format="json").status_code == 403  # area: not theirs
    assert api_for(cast.street_b).get(url).status_code == 404
    assert api_for(cast.street_b).post(step + "review/").status_code == 404
    street = api_for(cast.street_a)
    assert street.get(url).json()["actions"] == ["review", "refuse_at_street"]
    response = street.post(step + "approve/")  # not yet reviewed
    assert response.status_code == 400 and response.json()["code"] == "state"
    assert (
        street.post(step + "review/", {"comment": "同意"}, format="json").json()["state"]
        == RequestState.REVIEWED
    )
    assert street.post(step + "approve/").status_code == 403  # a street does not approve
    assert api_for(county).post(step + "approve/").status_code == 403  # the filer
    assert api_for(county2).post(step + "refuse/", {}, format="json").json()["errors"] == {
        "comment": ["请填写不予准入的理由。"]
    }
    response = api_for(county2).post(step + "approve/")
    assert response.status_code == 200 and response.json()["state"] == RequestState.APPROVED
    affair = AdmittedAffair.objects.get(request_id=pk)
    assert response.json()["affair"] == affair.pk
    assert api_for(cast.street_a).get(f"{AFFAIRS}{affair.pk}/").status_code == 200
    assert api_for(cast.street_b).get(f"{AFFAIRS}{affair.pk}/").status_code == 404


def test_request_list_filters_and_queries(cast, tree, county, file, api_for):
    api = api_for(cast.city)
    file()
    with CaptureQueriesContext(connection) as few:
        api.get(REQUESTS)
    for i in range(12):
        file(name=f"事项{i}", area=tree.street_b if i % 2 else tree.street_a)
    with CaptureQueriesContext(connection) as many:
        assert api.get(REQUESTS).json()["count"] == 13
    assert len(many) == len(few)
    assert api.get(REQUESTS + f"?area={tree.street_b.pk}").json()["count"] == 6
    assert api.get(REQUESTS + "?state=approved").json()["count"] == 0
    assert api_for(cast.street_b).get(REQUESTS).json()["count"] == 6
    make_affair(tree.county, "第一项")
    with CaptureQueriesContext(connection) as few:
        api.get(AFFAIRS)
    for i in range(10):
        make_affair(tree.county, f"事项{i}")
    with CaptureQueriesContext(connection) as many:
        api.get(AFFAIRS)
    assert len(many) == len(few)


def test_end_an_affair(cast, tree, county, api_for):
    """The affair page's 调整有效期 through the API: the catalog keeper ends it, the street official who reads
    it gets 403 naming what is missing, street_b 404, a date before its start on the field."""
    affair = make_affair(tree.street_a, "青江事项")
    url = f"{AFFAIRS}{affair.pk}/end/"
    keeper = api_for(county)
    response = keeper.post(url, {"valid_to": "2019-12-31"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "valid_to": ["有效期至不能早于有效期自。"]
    }
    assert api_for(cast.street_b).post(url, {"valid_to": "2025-12-31"}, format="json").status_code == 404
    refused = api_for(cast.street_a).post(url, {"valid_to": "2025-12-31"}, format="json")
    assert refused.status_code == 403 and "青江街道" in refused.json()["detail"]
    response = keeper.post(url, {"valid_to": "2025-12-31"}, format="json")
    assert response.status_code == 200 and response.json()["valid_to"] == "2025-12-31"
    affair.refresh_from_db()
    assert affair.valid_to == date(2025, 12, 31)
