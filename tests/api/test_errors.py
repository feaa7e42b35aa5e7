"""Every API error has one shape, {"detail", "code", "errors"}, in the caller's language; a 404 never names
the model; a refusal is a 403 that says what is missing (not a 400 "无效主键")."""

from datetime import date

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.members.models import Member
from tests.factories import make_party_org, make_user
from tests.members.fixtures_records import valid_id

SHAPE = {"detail", "code", "errors"}


def test_every_kind_of_error_has_the_one_shape(cast, tree, api_for, anonymous_api):
    api = api_for(cast.street_a)
    invalid = api.post("/api/areas/", {"parent": tree.community_a.pk, "name": "", "level": 5}, format="json")
    assert invalid.status_code == 400
    body = invalid.json()
    assert set(body) == SHAPE and body["code"] == "invalid"
    assert body["errors"]["name"] and body["detail"] == body["errors"]["name"][0]

    service_refusal = api.post(  # a Django ValidationError raised by the service, on its field
        "/api/areas/", {"parent": tree.community_a.pk, "name": "错层", "level": 3}, format="json"
    )
    assert service_refusal.status_code == 400 and "层级" in service_refusal.json()["errors"]["level"][0]

    unauthenticated = anonymous_api.get("/api/areas/")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {
        "detail": "身份认证信息未提供。",
        "code": "not_authenticated",
        "errors": {},
    }

    forbidden = api_for(cast.worker).patch(f"/api/areas/{tree.grid_a.pk}/", {"name": "x"}, format="json")
    assert forbidden.status_code == 403
    assert forbidden.json() == {
        "detail": "您没有在“第一网格”新建、编辑、移动、撤销区域的权限。",
        "code": "permission_denied",
        "errors": {},
    }

    not_allowed = api.delete(f"/api/areas/{tree.grid_a.pk}/")
    assert not_allowed.status_code == 405
    assert set(not_allowed.json()) == SHAPE and not_allowed.json()["code"] == "method_not_allowed"

    malformed = api.generic("POST", "/api/areas/", "{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.json()["code"] == "parse_error"


@pytest.mark.parametrize("url", ["/api/gatherings/{pk}/", "/api/areas/{pk}/", "/api/members/{pk}/"])
def test_a_404_never_names_the_model(cast, api_for, url):
    response = api_for(cast.city).get(url.format(pk=987654))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found", "errors": {}}


def test_errors_speak_the_callers_language(cast, tree, api_for):
    api = api_for(cast.worker)
    response = api.patch(
        f"/api/areas/{tree.grid_a.pk}/", {"name": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Missing permission on “第一网格”: “Create, edit, move and revoke areas”."
    )
    missing = api_for(cast.city).get("/api/areas/987654/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}


def member_body(branch) -> dict:
    return {
        "name": "陈红",
        "id_number": valid_id(date(1975, 3, 8), male=False),
        "branch": branch.pk,
        "joined_probationary_on": "2000-07-01",
    }


def test_a_grid_worker_creating_a_member_in_a_branch_they_cannot_act_for_is_refused(tree, cast, api_for):
    branch = make_party_org("第一网格党支部", tree.grid_a)
    grid = make_user("grid", Role.GRID_WORKER, tree.grid_a)
    response = api_for(grid).post("/api/members/", member_body(branch), format="json")
    assert response.status_code == 403, response.content  # not 400 "无效主键"
    assert response.json() == {
        "detail": "您没有在“第一网格党支部”维护党员信息的权限。",
        "code": "permission_denied",
        "errors": {},
    }
    assert not Member.objects.exists()
    # a branch they cannot even see stays "missing": the API does not reveal that it exists
    other = make_party_org("育才社区党支部", tree.community_b)
    response = api_for(grid).post("/api/members/", member_body(other), format="json")
    assert response.status_code == 400 and "branch" in response.json()["errors"]
