"""The blocks of each role's home (grassroots/portal/homes.py): an official's home opens with what waits for
them, grouped by kind, one line per piece of work with its areas and deadline; the field worker's home shows
their grid; 待核验 is one number everywhere; nothing of another area shows."""

from datetime import timedelta

import pytest

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.portal.homes import GRID, OFFICIAL, RESIDENT, home_of, register_block, unregister_block
from grassroots.voting.models import Household
from tests.duties import conftest as duties_fixtures
from tests.factories import make_area, make_user
from tests.homes import block, open_home
from tests.workflow.factories import register

# the duties tests' fixtures: issuing a task through the real service, taking its steps
affair, issue, media_root, step = (
    duties_fixtures.affair,
    duties_fixtures.issue,
    duties_fixtures.media_root,
    duties_fixtures.step,
)


def test_each_role_gets_its_home(cast, tree):
    grid_worker = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    assert home_of(cast.city) == OFFICIAL
    assert home_of(cast.worker) == OFFICIAL
    assert home_of(grid_worker) == GRID
    assert home_of(cast.resident) == RESIDENT


def test_one_task_sent_to_several_streets_is_one_line_with_its_areas_and_deadline(
    client_for,
    cast,
    tree,
    issue,
    step,
    today,
):
    task = issue(title="推进“两学一做”学习教育常态化制度化", deadline=today + timedelta(days=20))
    for street, official in ((tree.street_a, cast.street_a), (tree.street_b, cast.street_b)):
        assignment = task.assignments.get(area=street)
        for name in ("accept", "begin"):
            step(assignment, name, official)
        step(assignment, "submit", official, "已完成")

    response = open_home(client_for(cast.city))

    groups = block(response, "todo")["groups"]
    duties = next(g for g in groups if g.kind == "duties.dutyassignment")
    assert duties.total == 2
    [line] = duties.lines
    assert line.subject == "任务：推进“两学一做”学习教育常态化制度化"
    assert sorted(label for label, _url in line.areas) == ["雨城区 › 东城街道", "雨城区 › 青江街道"]
    assert line.deadline == today + timedelta(days=20)
    html = response.content.decode()
    assert html.count("推进“两学一做”学习教育常态化制度化") == 1
    # the full list pages through that kind
    full = client_for(cast.city).get("/todo/", {"kind": "duties.dutyassignment"})
    assert full.status_code == 200
    assert full.context["page_obj"].paginator.count == 2


def test_a_street_official_sees_nothing_waiting_in_another_street(
    client_for,
    cast,
    tree,
    issue,
    step,
):
    task = issue(title="只给乙街道的任务")
    other = task.assignments.get(area=tree.street_b)
    step(other, "accept", cast.street_b)

    response = open_home(client_for(cast.street_a))

    groups = block(response, "todo")["groups"]
    areas = [label for g in groups for line in g.lines for label, _url in line.areas]
    assert "东城街道" not in areas  # street B's assignment
    assert all("青江街道" in label or label == "青江街道" for label in areas)
    assert "育才社区" not in response.content.decode()


def test_pending_verifications_are_one_number_on_the_home_and_in_the_queue(client_for, cast, tree):
    resident_of_b = make_area("二号院落", Level.COURTYARD, tree.community_b)
    register(tree.courtyard_a, username="a1")
    register(tree.courtyard_a, username="a2")
    register(resident_of_b, username="b1")  # street B's: not the worker's

    client = client_for(cast.worker)
    home = block(open_home(client), "verification")
    queue = client.get("/accounts/verification/")

    assert home.pending == queue.context["page"].paginator.count == 2
    # registered residents who never asked are not pending requests
    assert home.residents_total - home.residents_verified >= home.pending


def test_the_grid_workers_home_shows_their_grid_only(client_for, tree):
    grid_worker = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    other_grid = make_area("第二网格", Level.GRID, tree.community_a)
    make_user("elsewhere", Role.RESIDENT, other_grid, home_area=other_grid)
    Household.objects.create(area=tree.grid_a, name="1栋101")
    Household.objects.create(area=tree.courtyard_a, name="2栋202")
    Household.objects.create(area=other_grid, name="3栋303")

    response = open_home(client_for(grid_worker))

    assert response.status_code == 200
    [line] = block(response, "my_grid")["lines"]
    assert line.area == tree.grid_a
    assert line.residents == 1  # the neighbour, not the other grid's resident
    assert line.households == 2  # the grid's and its courtyard's, not the other grid's
    assert '<strong data-figure="grid_households">2</strong> 户' in response.content.decode()
    assert block(response, "figures") is None  # the officials' dashboard is not theirs
    assert block(response, "todo") is not None


def test_a_part_adds_its_block_through_the_registry(client_for, cast):
    register_block("probe", template="portal/blocks/notices.html", data=lambda r: None, homes={OFFICIAL})
    try:
        response = open_home(client_for(cast.street_a))
        assert block(response, "probe") is None  # None: not shown
        register_block(
            "probe",
            template="portal/blocks/notices.html",
            data=lambda r: {"notices": [], "may_manage": False},
            homes={OFFICIAL},
            order=1,
        )
        response = open_home(client_for(cast.street_a))
        assert response.blocks[0].name == "probe"
    finally:
        unregister_block("probe")
    with pytest.raises(ValueError):
        register_block("bad", template="x.html", data=lambda r: None, homes={"nowhere"})


def test_the_grid_workers_home_lists_the_findings_they_own(client_for, cast, tree, today):
    from grassroots.core.assessments.services.inspections import add_finding, create_inspection
    from grassroots.workflow.services import transition

    grid_worker = make_user("gridder", Role.GRID_WORKER, tree.grid_a)
    colleague = make_user("colleague", Role.GRID_WORKER, tree.grid_a)
    inspection = create_inspection(
        actor=cast.street_a, area=tree.community_a, title="党建督察", inspected_on=today
    )

    def finding(description, owner):
        return add_finding(
            actor=cast.street_a, inspection=inspection, description=description, owner=owner, deadline=today
        )

    mine = finding("台账缺页", grid_worker)
    transition(finding("公示栏过期", grid_worker), "report_rectified", actor=grid_worker, comment="已更换")
    finding("别人的问题", colleague)

    response = open_home(client_for(grid_worker))

    data = block(response, "my_findings")
    assert [f.description for f in data["findings"]] == ["台账缺页", "公示栏过期"]  # mine to do first
    assert data["total"] == 2
    assert "别人的问题" not in response.content.decode()
    # what waits for them is the one still to rectify; the reported one waits for the street
    todo = [line.subject for g in block(response, "todo")["groups"] for line in g.lines]
    assert todo == ["整改：台账缺页"]
    assert mine.get_absolute_url() in response.content.decode()
    assert block(open_home(client_for(colleague)), "my_findings")["total"] == 1


def test_the_full_todo_list_costs_a_bounded_number_of_queries(
    client_for, cast, tree, issue, step, django_assert_max_num_queries
):
    for n in range(3):
        task = issue(title=f"任务{n}")
        for street, official in ((tree.street_a, cast.street_a), (tree.street_b, cast.street_b)):
            assignment = task.assignments.get(area=street)
            step(assignment, "accept", official)
            step(assignment, "begin", official)
            step(assignment, "submit", official, "已完成")
    client = client_for(cast.city)
    # session, user, grants, the shell; one query per workflow model, the areas' ancestors
    with django_assert_max_num_queries(30):
        everything = client.get("/todo/")
    with django_assert_max_num_queries(20):
        one_kind = client.get("/todo/", {"kind": "duties.dutyassignment"})
    assert [line.subject for g in everything.context["todo"]["groups"] for line in g.lines] == [
        "任务：任务0",
        "任务：任务1",
        "任务：任务2",
    ]
    assert one_kind.context["page_obj"].paginator.count == 6
    assert client.get("/todo/", {"kind": "no.such"}).status_code == 200  # an unknown kind: everything


def test_the_home_shows_every_kinds_total_and_only_the_first_lines(
    client_for, cast, tree, affair, issue, today, django_assert_max_num_queries
):
    """Waiting on many kinds: the home's block lists every kind with its exact total and its link, and the
    lines of the first kinds only, TODO_LINES in all (the requests to verify are one line: one subject in
    one area); /todo/ still shows every kind's lines."""
    from grassroots.core.assessments.services.inspections import add_finding, create_inspection
    from grassroots.gridwork.services import close_follow_up, record_visit
    from grassroots.portal.blocks import TODO_LINES

    for n in range(6):
        register(tree.courtyard_a, username=f"newcomer{n}")
    for n in range(6):
        issue(
            title=f"社区任务{n}",
            actor=cast.street_a,
            area=tree.street_a,
            target_level=Level.COMMUNITY,
            affair=affair,
        )
    street = cast.street_a
    inspection = create_inspection(actor=street, area=tree.community_a, title="督察", inspected_on=today)
    for n in range(3):
        add_finding(
            actor=street,
            inspection=inspection,
            description=f"问题{n}",
            owner=cast.worker,
            deadline=today,
        )
    visits = [
        record_visit(
            actor=cast.worker,
            area=tree.courtyard_a,
            visited_on=today,
            heard="楼道灯坏了",
            follow_up=True,
            follow_up_note=f"跟进{n}",
        )
        for n in range(2)
    ]
    client = client_for(cast.worker)
    client.get("/home/blocks/todo/", headers={"HX-Request": "true"})  # the session's first queries

    with django_assert_max_num_queries(14):
        fragment = client.get("/home/blocks/todo/", headers={"HX-Request": "true"})

    groups = fragment.context["data"]["groups"]
    assert {g.kind: g.total for g in groups} == {
        "accounts.residentverification": 6,
        "duties.dutyassignment": 6,
        "assessments.finding": 3,
        "gridwork.visit": 2,
    }
    # the requests to verify are one line (one subject), then the tasks' first five, two findings, no visit
    assert [len(g.lines) for g in groups] == [1, 5, 2, 0]
    html = fragment.content.decode()
    assert html.count("data-todo-line") == TODO_LINES
    for group in groups:
        assert f'href="/todo/?kind={group.kind}">查看全部 {group.total} 项</a>' in html
    everything = client.get("/todo/").context["todo"]["groups"]
    assert [len(g.lines) for g in everything] == [1, 6, 3, 2]
    # never stale: what the user does shows at once, in a kind whose lines are not shown too
    close_follow_up(actor=cast.worker, visit=visits[0], note="已更换")
    again = client.get("/home/blocks/todo/", headers={"HX-Request": "true"}).context["data"]["groups"]
    assert {g.kind: g.total for g in again}["gridwork.visit"] == 1
