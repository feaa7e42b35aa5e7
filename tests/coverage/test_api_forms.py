"""The forms of the instructor, cross-appointment and service team pages through the API, by the same
services: a write by an official who holds `coverage.change` (street_a), a 403 naming what is missing for the
auditor (sees, may not change), 404 for the outsider street_b, a field error in Chinese."""

import pytest

from grassroots.core.coverage import services
from grassroots.core.coverage.models import CoverageStatus, CrossAppointment, InstructorVisit, ServiceRecord
from tests.coverage.conftest import make_entity


def missing(area: str) -> str:
    return f"您没有在“{area}”维护新兴领域单位、党建指导员、交叉任职与服务团队的权限。"


MISSING = missing("桥楼社区")


@pytest.fixture
def entity(tree):
    return make_entity("桥楼物流公司", tree.community_a)


@pytest.fixture
def instructor(orgs, tree, cast, today):
    return services.appoint_instructor(
        actor=cast.street_a, name="张指导", sent_by=orgs.street, area=tree.community_a
    )


def test_appoint_an_instructor(orgs, tree, cast, api_for, today):
    body = {"name": "张指导", "sent_by": orgs.street.pk, "area": tree.community_a.pk, "position": "组织委员"}
    refused = api_for(cast.auditor).post("/api/instructors/", body, format="json")
    assert refused.status_code == 403 and "维护新兴领域单位" in refused.json()["detail"]
    unseen = api_for(cast.street_b).post("/api/instructors/", body, format="json")
    assert unseen.status_code == 400 and set(unseen.json()["errors"]) == {"sent_by", "area"}
    blank = api_for(cast.street_a).post("/api/instructors/", {**body, "name": " "}, format="json")
    assert blank.status_code == 400 and list(blank.json()["errors"]) == ["name"]
    response = api_for(cast.street_a).post("/api/instructors/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["sent_by_name"] == "青江街道党工委" and response.json()["appointed_on"] == str(
        today
    )


def test_assign_end_and_visit(entity, instructor, cast, api_for, today):
    url = f"/api/instructors/{instructor.pk}/"
    official = api_for(cast.street_a)
    assert (
        api_for(cast.street_b).post(url + "assignments/", {"entity": entity.pk}, format="json").status_code
        == 404
    )
    refused = api_for(cast.auditor).post(url + "assignments/", {"entity": entity.pk}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == MISSING
    response = official.post(url + "assignments/", {"entity": entity.pk}, format="json")
    assert response.status_code == 201, response.content
    [assignment] = response.json()["assignments"]
    entity.refresh_from_db()
    assert assignment["entity"] == entity.pk and entity.status == CoverageStatus.INSTRUCTOR

    visit = {"entity": entity.pk, "visited_on": str(today.replace(year=today.year + 1)), "content": "指导"}
    response = official.post(url + "visits/", visit, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "visited_on": ["走访日期不能晚于今天。"]
    }
    visit["visited_on"] = str(today)
    visit["content"] = "指导建立党组织"
    assert api_for(cast.street_b).post(url + "visits/", visit, format="json").status_code == 404
    assert api_for(cast.auditor).post(url + "visits/", visit, format="json").status_code == 403
    response = official.post(url + "visits/", visit, format="json")
    assert response.status_code == 201 and response.json()["visit_count"] == 1
    assert InstructorVisit.objects.get().created_by == cast.street_a

    end = {"assignment": assignment["id"]}
    assert api_for(cast.auditor).post(url + "end-assignment/", end, format="json").status_code == 403
    response = official.post(url + "end-assignment/", end, format="json")
    assert response.status_code == 200 and response.json()["assignments"][0]["ends_on"] == str(today)
    entity.refresh_from_db()
    assert entity.status == CoverageStatus.NONE
    again = official.post(url + "end-assignment/", end, format="json")
    assert again.status_code == 400 and "assignment" in again.json()["errors"]  # no longer open


def test_record_a_cross_appointment(orgs, entity, cast, api_for, today):
    body = {
        "person_name": "李书记",
        "org": orgs.community.pk,
        "position": "社区党委书记",
        "other_entity": entity.pk,
        "other_name": "某公司",
        "other_position": "党建指导员",
        "starts_on": str(today),
    }
    url = "/api/cross-appointments/"
    response = api_for(cast.street_a).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"other_org": ["请选择（或填写）一个兼职的党组织或单位。"]}
    body["other_name"] = ""
    refused = api_for(cast.auditor).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == MISSING
    unseen = api_for(cast.street_b).post(url, body, format="json")
    assert unseen.status_code == 400 and set(unseen.json()["errors"]) == {"org", "other_entity"}
    response = api_for(cast.street_a).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["other_label"] == "桥楼物流公司"
    assert api_for(cast.street_b).get(f"{url}{response.json()['id']}/").status_code == 404
    assert CrossAppointment.objects.count() == 1


def test_a_service_team_and_its_records(tree, entity, cast, api_for, today):
    inside = make_entity("网格便利店", tree.grid_a)
    body = {
        "name": "网格组团服务队",
        "area": tree.grid_a.pk,
        "members": [{"name": "王医生", "role": "义诊"}],
        "entities": [inside.pk, entity.pk],
    }
    official = api_for(cast.street_a)
    response = official.post("/api/service-teams/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"entities": ["以下单位不在团队所属区域内：桥楼物流公司"]}
    body["entities"] = [inside.pk]
    refused = api_for(cast.auditor).post("/api/service-teams/", body, format="json")
    assert refused.status_code == 403 and "维护新兴领域单位" in refused.json()["detail"]
    response = official.post("/api/service-teams/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["members"] == [{"name": "王医生", "role": "义诊"}]
    url = f"/api/service-teams/{response.json()['id']}/records/"

    record = {"served_on": str(today), "content": "政策宣讲", "entity": inside.pk, "participants": 0}
    response = official.post(url, record, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "participants": ["参与人数至少为 1。"]
    }
    record["participants"] = 3
    assert api_for(cast.street_b).post(url, record, format="json").status_code == 404
    refused = api_for(cast.auditor).post(url, record, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == missing("第一网格")
    response = official.post(url, record, format="json")
    assert response.status_code == 201 and response.json()["record_count"] == 1
    assert ServiceRecord.objects.get().created_by == cast.street_a
