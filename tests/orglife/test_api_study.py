"""The "two studies, one action" study plan through the API, by the services the study plan page calls: the
branch's side creates it and adds sessions, the organization above may see but not write (403), the outsider
street_b gets 404, a wrong field is answered on that field in Chinese."""

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import StudyPlan
from grassroots.core.orglife.services import appraisal as services
from grassroots.core.orglife.services import bridge
from tests.orglife.conftest import at

URL = "/api/study-plans/"
NOT_THE_BRANCH = "只有本支部书记或社区工作人员可以填报该支部的组织生活。"


def test_create_a_study_plan(orgs, cast, api_for, today):
    body = {"branch": orgs.branch.pk, "year": today.year, "title": "2026年“两学一做”学习计划"}
    refused = api_for(orgs.parent_sec).post(URL, body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    unseen = api_for(cast.street_b).post(URL, body, format="json")
    assert unseen.status_code == 400 and "branch" in unseen.json()["errors"]
    branch = api_for(orgs.branch_sec)
    response = branch.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == body["title"] and response.json()["sessions"] == []
    again = branch.post(URL, body, format="json")
    assert again.status_code == 400 and again.json()["errors"] == {"year": ["本支部已有该年度的学习计划。"]}


def test_add_a_session(orgs, cast, api_for, today):
    plan = services.create_study_plan(
        actor=orgs.branch_sec, branch=orgs.branch, year=today.year, title="计划"
    )
    gathering = bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kinds.PARTY_LESSON,
        title="专题党课",
        starts_at=at(today, 14),
        ends_at=at(today, 16),
        organizer=orgs.branch_sec,
    )
    url = f"{URL}{plan.pk}/sessions/"
    body = {"topic": "学党章党规", "planned_on": f"{today.year - 1}-12-01", "gathering": gathering.pk}
    branch = api_for(orgs.branch_sec)
    response = branch.post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"planned_on": ["日期须在计划年度内。"]}
    body["planned_on"] = str(today)
    assert api_for(cast.street_b).post(url, body, format="json").status_code == 404
    # the gathering is invited-only: the organization above does not see it, so it names none
    refused = api_for(orgs.parent_sec).post(url, {**body, "gathering": None}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == NOT_THE_BRANCH
    response = branch.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert [(s["topic"], s["gathering"]) for s in response.json()["sessions"]] == [
        ("学党章党规", gathering.pk)
    ]
    assert StudyPlan.objects.get().sessions.count() == 1
