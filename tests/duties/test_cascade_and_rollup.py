"""The cascade (city → streets → communities, broken down by a street) and the roll-up of completion and
timeliness per task, per cascade and per subtree: figures checked against a known spread of states."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.duties.models import AssignmentState, DutyTask, TaskList
from grassroots.core.duties.selectors import (
    completion_figures,
    figures_by_child,
    figures_by_level,
    task_figures,
)
from grassroots.core.duties.services import copy_task_list, issue_task
from tests.duties.conftest import add_children


@pytest.fixture
def cascade(cast, tree, issue, affair, today, finish, step):
    """The city issues to both streets; 青江街道 breaks its share down to its 3 communities (桥楼社区 and two
    more). States: 青江街道 in progress; communities: one approved on time, one submitted, one issued;
    东城街道 approved on time."""
    extra = add_children(tree.street_a, 2, Level.COMMUNITY)
    from grassroots.accounts.models import RoleGrant

    for area in extra:
        RoleGrant.objects.create(user=cast.secretary, role="community_secretary", area=area)
    top = issue(title="党建引领基层治理", deadline=today + timedelta(days=30), affair=affair)
    share_a = top.assignments.get(area=tree.street_a)
    share_b = top.assignments.get(area=tree.street_b)
    step(share_a, "accept", cast.street_a)
    step(share_a, "begin", cast.street_a)
    child = issue_task(
        actor=cast.street_a,
        parent=share_a,
        title="党建引领基层治理（社区）",
        deadline=today + timedelta(days=20),
        target_level=Level.COMMUNITY,
    )
    rows = list(child.assignments.order_by("area__path"))
    finish(rows[0], cast.secretary, cast.street_a)
    step(rows[1], "accept", cast.secretary)
    step(rows[1], "begin", cast.secretary)
    step(rows[1], "submit", cast.secretary, "ok")
    finish(share_b, cast.street_b, cast.city)
    return top, child, share_a, rows


def test_breakdown_is_linked_to_its_parent(cast, tree, cascade, affair):
    top, child, share_a, rows = cascade
    assert child.parent == share_a and child.root == top and child.area == tree.street_a
    assert child.affair == affair  # inherited from the task it breaks down
    assert list(share_a.children.all()) == [child]
    assert child.task_list == TaskList.objects.get(area=tree.street_a, year=top.task_list.year)
    assert [a.area.level for a in rows] == [Level.COMMUNITY] * 3


def test_roll_up_per_task_cascade_level_and_subtree(tree, cascade, today):
    top, child, _share_a, _rows = cascade
    own = task_figures(top, today=today)
    assert (own["total"], own["approved"], own["on_time"], own["open"]) == (2, 1, 1, 1)
    assert own["completion_rate"] == 0.5 and own["on_time_rate"] == 1.0
    whole = task_figures(top, cascade=True, today=today)
    assert (whole["total"], whole["approved"], whole["submitted"], whole["open"]) == (5, 2, 1, 2)
    assert whole["completion_rate"] == 0.4
    by_level = dict(figures_by_level(top, today=today))
    assert by_level[Level.STREET]["total"] == 2 and by_level[Level.COMMUNITY]["total"] == 3
    assert by_level[Level.COMMUNITY]["approved"] == 1
    # The street's own task: its three communities.
    assert task_figures(child, today=today)["completion_rate"] == round(1 / 3, 4)
    # Per subtree for the assessments part: 青江街道 = its own share + its three communities.
    year = top.task_list.year
    street = completion_figures(tree.street_a.path, year, today=today)
    assert (street["total"], street["approved"], street["submitted"]) == (4, 1, 1)
    communities = completion_figures(tree.street_a.path, year, level=Level.COMMUNITY, today=today)
    assert communities["total"] == 3
    assert completion_figures(tree.street_b.path, year, today=today)["completion_rate"] == 1.0
    assert completion_figures(tree.city.path, year, today=today)["total"] == 5
    nothing = completion_figures(tree.city.path, year + 5, today=today)
    assert nothing["total"] == 0 and nothing["completion_rate"] is None and nothing["on_time_rate"] is None
    # By child area of the county: one aggregate grouped by path prefix.
    rows_by_child = {area.name: f["total"] for area, f in figures_by_child(tree.county, year, today=today)}
    assert rows_by_child == {"青江街道": 4, "东城街道": 1}


def test_rollup_queries_do_not_grow_with_rows(cast, tree, issue, affair, django_assert_num_queries):
    add_children(tree.street_a, 40, Level.COMMUNITY)
    task = issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair)
    year = task.task_list.year
    with django_assert_num_queries(1):
        assert completion_figures(tree.city.path, year)["total"] == 41
    with django_assert_num_queries(1):
        task_figures(task, cascade=True)
    with django_assert_num_queries(2):  # the aggregate, the children
        figures_by_child(tree.street_a, year)


def test_breakdown_rules(cast, tree, issue, affair, today):
    top = issue(deadline=today + timedelta(days=30), affair=affair)
    share_a = top.assignments.get(area=tree.street_a)
    values = {"title": "分解", "target_level": Level.COMMUNITY, "parent": share_a}
    with pytest.raises(ValidationError) as refused:
        issue_task(actor=cast.street_a, deadline=today + timedelta(days=31), **values)
    assert "deadline" in refused.value.message_dict
    for outsider in (cast.street_b, cast.city, cast.secretary):
        with pytest.raises(PermissionDenied):
            issue_task(actor=outsider, deadline=today + timedelta(days=10), **values)
    # Without an affair on the parent, breaking down to communities meets THE RULE too.
    bare = issue(title="无事项任务").assignments.get(area=tree.street_a)
    with pytest.raises(ValidationError) as refused:
        issue_task(actor=cast.street_a, deadline=today + timedelta(days=10), **{**values, "parent": bare})
    assert refused.value.message_dict["affair"] == [
        "请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）"
    ]


def test_copy_last_years_list(cast, tree, issue, affair, today):
    last_year = today.year - 1
    before = timezone.now() - timedelta(days=365)
    old = issue(
        title="年度党建述职",
        deadline=before.date() + timedelta(days=10),
        now=before,
        year=last_year,
        weight=Decimal("3"),
    )
    issue(
        title="社区网格巡查",
        target_level=Level.COMMUNITY,
        affair=affair,
        deadline=before.date() + timedelta(days=20),
        now=before,
        year=last_year,
    )
    # 青江街道's list of last year: a breakdown of the city's task and a task of its own.
    issue_task(
        actor=cast.street_a,
        parent=old.assignments.get(area=tree.street_a),
        title="分解到社区的述职任务",
        deadline=before.date() + timedelta(days=5),
        target_level=Level.COMMUNITY,
        affair=affair,
        now=before,
    )
    issue(
        actor=cast.street_a,
        area=tree.street_a,
        title="街道自定任务",
        target_level=Level.COMMUNITY,
        affair=affair,
        deadline=before.date() + timedelta(days=8),
        now=before,
        year=last_year,
    )
    # Copying the street's list takes its own task only: breakdowns follow next year's tasks from above.
    street_list = copy_task_list(actor=cast.street_a, area=tree.street_a, year=today.year)
    assert [t.title for t in street_list.tasks.all()] == ["街道自定任务"]
    current = copy_task_list(actor=cast.city, area=tree.city, year=today.year)
    drafts = list(current.tasks.order_by("deadline"))
    assert [d.title for d in drafts] == ["年度党建述职", "社区网格巡查"]
    assert all(d.is_draft and not d.assignments.exists() for d in drafts)
    assert drafts[0].deadline == old.deadline.replace(year=old.deadline.year + 1)
    assert drafts[0].weight == Decimal("3") and drafts[0].copied_from == old
    assert current.copied_from == TaskList.objects.get(area=tree.city, year=last_year)
    with pytest.raises(ValidationError):
        copy_task_list(actor=cast.city, area=tree.city, year=today.year)  # once
    with pytest.raises(PermissionDenied):
        copy_task_list(actor=cast.street_a, area=tree.city, year=today.year)
    with pytest.raises(ValidationError):
        copy_task_list(actor=cast.city, area=tree.city, year=today.year + 5)  # no list the year before
    # A draft is issued with the values reviewed; THE RULE applies to it as to any task.
    draft = drafts[1]
    with pytest.raises(ValidationError):
        issue_task(
            actor=cast.city,
            draft=draft,
            title=draft.title,
            deadline=today + timedelta(days=5),
            target_level=Level.COMMUNITY,
        )
    issued = issue_task(
        actor=cast.city,
        draft=draft,
        title=draft.title,
        deadline=today + timedelta(days=5),
        target_level=Level.COMMUNITY,
        affair=affair,
    )
    assert issued.pk == draft.pk and not issued.is_draft and issued.assignments.count() == 2
    assert DutyTask.objects.filter(task_list=current, issued_at__isnull=True).count() == 1


def test_states_are_counted_once(cast, tree, cascade):
    top, *_ = cascade
    states = dict(top.assignments.values_list("area__name", "state"))
    assert states == {"青江街道": AssignmentState.IN_PROGRESS, "东城街道": AssignmentState.APPROVED}
