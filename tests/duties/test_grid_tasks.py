"""Tasks down to the grids (网格化干部考察延伸制): a community's secretary issues tasks to the community's
grids, the grid worker receives, works and submits their grid's assignment, the secretary checks it; the
task figures then exist per grid. Through the service, the pages and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.core.duties.models import AssignmentState, DutyAssignment
from grassroots.core.duties.selectors import completion_figures
from grassroots.workflow.engine import TransitionRefused
from tests.factories import make_area, make_user

TASKS = "/api/duty-tasks/"
ASSIGNMENTS = "/api/duty-assignments/"


@pytest.fixture
def grid_worker(tree):
    return make_user("gridder", Role.GRID_WORKER, tree.grid_a, full_name="杨帆")


def test_a_community_issues_to_its_grids_and_the_grid_worker_does_the_work(
    cast, tree, issue, step, grid_worker, today
):
    grid2 = make_area("第二网格", Level.GRID, tree.community_a)
    task = issue(actor=cast.secretary, area=tree.community_a, target_level=Level.GRID)
    assert sorted(task.assignments.values_list("area__name", flat=True)) == ["第一网格", "第二网格"]
    assignment = task.assignments.get(area=tree.grid_a)
    # only the grid's worker does it; the community's secretary (the issuer) checks it
    with pytest.raises(TransitionRefused):
        step(assignment, "accept", cast.street_a)
    step(assignment, "accept", grid_worker)
    step(assignment, "begin", grid_worker)
    step(assignment, "submit", grid_worker, "已走访 30 户")
    with pytest.raises(TransitionRefused):
        step(assignment, "approve", grid_worker)
    assert step(assignment, "approve", cast.secretary).state == AssignmentState.APPROVED
    # the figures exist per grid
    figures = completion_figures(tree.grid_a.path, today.year, today=today)
    assert (figures["total"], figures["approved"], figures["on_time"]) == (1, 1, 1)
    assert completion_figures(grid2.path, today.year, today=today)["approved"] == 0
    assert task.assignments.get(area=grid2).state == AssignmentState.ISSUED


def test_only_a_community_issues_to_grids(cast, tree, issue, today):
    # a street (or the city) does not issue to grids directly
    with pytest.raises(ValidationError) as error:
        issue(actor=cast.street_a, area=tree.street_a, target_level=Level.GRID)
    assert "target_level" in error.value.message_dict
    # a community worker may not issue; a secretary may not issue for another community
    with pytest.raises(PermissionDenied):
        issue(actor=cast.worker, area=tree.community_a, target_level=Level.GRID)
    with pytest.raises(PermissionDenied):
        issue(actor=cast.secretary, area=tree.community_b, target_level=Level.GRID)
    # a community issues nothing but grid tasks
    with pytest.raises(ValidationError) as error:
        issue(actor=cast.secretary, area=tree.community_a, target_level=Level.COMMUNITY)
    assert "target_level" in error.value.message_dict


def test_grid_tasks_through_the_pages(cast, tree, client_for, grid_worker, today):
    client = client_for(cast.secretary)
    form = client.get(f"/duties/tasks/new/?area={tree.community_a.pk}").content.decode()
    assert "网格" in form
    response = client.post(
        f"/duties/tasks/new/?area={tree.community_a.pk}",
        {
            "area": tree.community_a.pk,
            "title": "入户走访",
            "deadline": (today + timedelta(days=10)).isoformat(),
            "target_level": Level.GRID,
            "weight": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = DutyAssignment.objects.get(area=tree.grid_a)
    worker = client_for(grid_worker)
    assert "入户走访" in worker.get("/duties/").content.decode()
    page = worker.get(f"/duties/assignments/{assignment.pk}/")
    assert page.status_code == 200 and "入户走访" in page.content.decode()
    assert client_for(cast.street_b).get(f"/duties/assignments/{assignment.pk}/").status_code == 404


def test_grid_tasks_through_the_api(cast, tree, api_for, grid_worker, today):
    secretary = api_for(cast.secretary)
    body = {
        "area": tree.community_a.pk,
        "title": "入户走访",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "target_level": Level.GRID,
    }
    response = secretary.post(TASKS, body, format="json")
    assert response.status_code == 201, response.json()
    worker = api_for(grid_worker)
    (row,) = worker.get(ASSIGNMENTS + "?mine=todo").json()["results"]
    assert row["area_name"] == "第一网格"
    step = f"{ASSIGNMENTS}{row['id']}/transitions/"
    for name, data in (("accept", {}), ("begin", {}), ("submit", {"comment": "已走访"})):
        assert worker.post(step + f"{name}/", data, format="json").status_code == 200
    assert secretary.post(step + "approve/").json()["state"] == AssignmentState.APPROVED
    assert api_for(cast.street_b).get(f"{ASSIGNMENTS}{row['id']}/").status_code == 404
    # a street official may not issue to grids: the field says why
    response = api_for(cast.street_a).post(TASKS, {**body, "area": tree.street_a.pk}, format="json")
    assert response.status_code == 400 and "target_level" in response.json()["errors"]
