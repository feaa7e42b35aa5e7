"""/api/duty-tasks/ and /api/duty-assignments/: scoped lists and details (street_b 404), issuing with THE
RULE shown at the field, the steps through the workflow service, filters, query counts."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.areas.models import Level
from grassroots.core.duties.models import AssignmentState, DutyTask
from tests.duties.conftest import add_children, pdf

TASKS = "/api/duty-tasks/"
ASSIGNMENTS = "/api/duty-assignments/"


def count(api, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(ctx)


def test_tasks_are_scoped(cast, tree, issue, affair, api_for):
    city_task = issue(title="市级任务")
    street_task = issue(
        actor=cast.street_a, area=tree.street_a, title="街道任务", target_level=Level.COMMUNITY, affair=affair
    )
    titles = lambda user: {row["title"] for row in api_for(user).get(TASKS).json()["results"]}  # noqa: E731
    assert titles(cast.city) == {"市级任务", "街道任务"}
    assert titles(cast.street_a) == {"街道任务"}
    assert titles(cast.street_b) == set()
    assert api_for(cast.street_b).get(f"{TASKS}{street_task.pk}/").status_code == 404
    assert api_for(cast.resident).get(f"{TASKS}{city_task.pk}/").status_code == 404
    row = api_for(cast.city).get(f"{TASKS}{city_task.pk}/").json()
    assert row["progress"] == {
        "total": 2,
        "approved": 0,
        "on_time": 0,
        "overdue": 0,
        "submitted": 0,
        "open": 2,
    }
    assert row["target_level"] == Level.STREET and row["area_name"] == "雅安市" and not row["is_draft"]


def test_issue_through_the_api_and_the_rule_at_the_field(cast, tree, affair, api_for, today):
    api = api_for(cast.street_a)
    body = {
        "area": tree.street_a.pk,
        "title": "入户走访",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "target_level": Level.COMMUNITY,
    }
    response = api.post(TASKS, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "affair": ["请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）"]
    }
    assert not DutyTask.objects.exists()
    response = api.post(TASKS, {**body, "affair": affair.pk}, format="json")
    assert response.status_code == 201, response.content
    assert (
        response.json()["progress"]["total"] == 1 and response.json()["affair_name"] == "社区网格化服务管理"
    )
    # Someone else's area, as if it did not exist; a visible area where one may not issue → 403.
    response = api_for(cast.street_b).post(TASKS, {**body, "affair": affair.pk}, format="json")
    assert response.status_code == 400 and "area" in response.json()["errors"]
    response = api_for(cast.secretary).post(TASKS, {**body, "affair": affair.pk}, format="json")
    assert response.status_code == 400 and "area" in response.json()["errors"]


def test_breakdown_through_the_api(cast, tree, issue, affair, api_for, today):
    share = issue(affair=affair).assignments.get(area=tree.street_a)
    body = {
        "parent": share.pk,
        "title": "分解",
        "deadline": (today + timedelta(days=5)).isoformat(),
        "target_level": Level.COMMUNITY,
    }
    assert api_for(cast.street_b).post(TASKS, body, format="json").json()["errors"] == {
        "parent": [f"无效主键 “{share.pk}” － 对象不存在。"]
    }
    assert api_for(cast.city).post(TASKS, body, format="json").status_code == 403
    response = api_for(cast.street_a).post(TASKS, body, format="json")
    assert response.status_code == 201 and response.json()["parent"] == share.pk
    assert response.json()["affair"] == affair.pk


def test_steps_through_the_api(cast, tree, issue, api_for):
    share = issue().assignments.get(area=tree.street_a)
    url = f"{ASSIGNMENTS}{share.pk}/"
    step = url + "transitions/"
    assert api_for(cast.street_b).post(step + "accept/").status_code == 404
    response = api_for(cast.city).post(step + "accept/")
    assert response.status_code == 403 and "没有权限" in response.json()["detail"]
    street = api_for(cast.street_a)
    assert street.get(url).json()["actions"] == ["accept"]
    assert street.post(step + "accept/").json()["state"] == AssignmentState.ACCEPTED
    assert street.post(step + "begin/").json()["state"] == AssignmentState.IN_PROGRESS
    response = street.post(step + "submit/", {"comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    response = street.post(step + "submit/", {"comment": "完成", "attachments": [pdf()]}, format="multipart")
    assert response.status_code == 200 and response.json()["state"] == AssignmentState.SUBMITTED
    city = api_for(cast.city)
    response = city.post(step + "send_back/", {}, format="json")
    assert response.json()["errors"] == {"comment": ["请填写退回理由。"]}
    response = city.post(step + "send_back/", {"comment": "材料不全"}, format="json")
    assert (
        response.json()["state"] == AssignmentState.RETURNED
        and response.json()["return_reason"] == "材料不全"
    )
    street.post(step + "rework/")
    response = street.post(step + "submit/", {"comment": "补齐材料"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "condition"  # after a return: resubmit
    assert [t["name"] for t in street.get(step).json()] == ["resubmit"]
    response = street.post(step + "resubmit/", {"comment": "补齐材料"}, format="json")
    assert response.json()["state"] == AssignmentState.SUBMITTED and response.json()["returned_count"] == 1
    response = city.post(step + "approve/")
    assert response.json()["state"] == AssignmentState.APPROVED and response.json()["overdue"] is False
    response = city.post(step + "approve/")
    assert response.status_code == 400 and response.json()["code"] == "state"


def test_assignment_lists_scope_and_filters(cast, tree, issue, affair, api_for, today):
    task = issue()
    community = issue(
        actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair
    ).assignments.get()
    areas = lambda user, q="": [r["area_name"] for r in api_for(user).get(ASSIGNMENTS + q).json()["results"]]  # noqa: E731
    assert sorted(areas(cast.city)) == sorted(["青江街道", "东城街道", "桥楼社区"])
    assert sorted(areas(cast.street_a)) == ["桥楼社区", "青江街道"]
    assert areas(cast.street_b) == ["东城街道"]
    assert areas(cast.secretary) == ["桥楼社区"]
    assert areas(cast.resident) == []
    assert api_for(cast.street_b).get(f"{ASSIGNMENTS}{community.pk}/").status_code == 404
    assert areas(cast.street_a, "?mine=todo") == ["青江街道"]
    assert areas(cast.city, f"?task={task.pk}&area={tree.street_a.pk}") == ["青江街道"]
    # An area outside the scope: 404, as on the pages (scoping.area_from_request).
    assert api_for(cast.street_b).get(f"{ASSIGNMENTS}?area={tree.street_a.pk}").status_code == 404
    assert areas(cast.city, "?state=overdue") == []
    assert sorted(areas(cast.city, "?state=issued")) == sorted(["青江街道", "东城街道", "桥楼社区"])


def test_list_query_counts_do_not_grow(cast, tree, issue, affair, api_for):
    api = api_for(cast.city)
    issue()
    few_tasks, few_assignments = count(api, TASKS), count(api, ASSIGNMENTS)
    add_children(tree.street_a, 20, Level.COMMUNITY)
    for i in range(5):
        issue(title=f"任务{i}", target_level=Level.COMMUNITY, affair=affair)
    assert count(api, TASKS) == few_tasks
    assert count(api, ASSIGNMENTS) == few_assignments
    assert count(api, ASSIGNMENTS + "?mine=check&state=open") <= few_assignments


def test_task_list_counts_targets_for_its_page_only(cast, tree, issue, api_for, today):
    """The count and the page's order read the tasks alone; the targets' figures are aggregated for the page's
    tasks only (at tier M the city's list grouped every task's assignments twice a request)."""
    tasks = [issue(title=f"任务{i}", deadline=today + timedelta(days=10 + i)) for i in range(3)]
    api = api_for(cast.city)
    with CaptureQueriesContext(connection) as ctx:
        data = api.get(f"{TASKS}?page_size=2").json()
    figures = [q["sql"] for q in ctx.captured_queries if "duties_dutyassignment" in q["sql"]]
    assert data["count"] == 3
    assert [r["id"] for r in data["results"]] == [tasks[0].pk, tasks[1].pk]  # soonest deadline first
    assert [r["progress"]["total"] for r in data["results"]] == [2, 2]
    assert [r["id"] for r in api.get(f"{TASKS}?page_size=2&page=2").json()["results"]] == [tasks[2].pk]
    assert len(figures) == 1, figures  # the page's rows with their figures, by key
    keys = [{int(k) for k in found.split(",")} for found in re.findall(r"IN \(([\d, ]+)\)", figures[0])]
    assert {tasks[0].pk, tasks[1].pk} in keys, figures[0]
