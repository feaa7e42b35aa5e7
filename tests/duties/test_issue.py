"""Issuing a task: one assignment per target in bulk, its first timeline entry, the notifications, the
checks of the service, and THE RULE of 社区事务准入制 through the service."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmittedAffair, CarriedAffair
from grassroots.core.duties.models import AssignmentState, DutyAssignment, DutyTask, Office, TaskList
from grassroots.workflow.models import Notification, TransitionLog
from grassroots.workflow.selectors import timeline
from tests.duties.conftest import add_children

NOT_ADMITTED = "不在社区事务准入目录内"
NO_AFFAIR = "请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）"


def test_city_issues_to_every_street(cast, tree, issue, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = issue(title="学习贯彻全会精神", weight=Decimal("5"))
    assert task.issued_at is not None and task.issued_by == cast.city
    assert task.task_list == TaskList.objects.get(area=tree.city, year=task.deadline.year)
    rows = list(task.assignments.order_by("area__path").values_list("area__name", "state"))
    assert rows == [("青江街道", AssignmentState.ISSUED), ("东城街道", AssignmentState.ISSUED)]
    # The first entry of each timeline is the issue, by the city official.
    first = timeline(task.assignments.get(area=tree.street_a))
    assert [(e.log.transition, e.log.actor, e.to_label) for e in first] == [("start", cast.city, "待接收")]
    # Each street's officials are told, once; nobody else.
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"street_a", "street_b"}
    assert "学习贯彻全会精神" in Notification.objects.get(recipient=cast.street_a).verb


def test_targets_subset_and_levels(cast, tree, issue):
    task = issue(target_level=Level.STREET, targets=[tree.street_b])
    assert list(task.assignments.values_list("area", flat=True)) == [tree.street_b.pk]
    with pytest.raises(ValidationError) as refused:
        issue(target_level=Level.STREET, targets=[tree.community_a])  # not a street
    assert "targets" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        issue(actor=cast.street_a, area=tree.street_a, target_level=Level.STREET)  # not below the street
    assert "target_level" in refused.value.message_dict


def test_field_checks(cast, tree, issue, today):
    office_b = Office.objects.create(area=tree.street_b, kind="services", name="服务办")
    with pytest.raises(ValidationError) as refused:
        issue(title=" ", deadline=today - timedelta(days=1), weight=Decimal("-1"), office=office_b)
    assert set(refused.value.message_dict) == {"title", "deadline", "weight", "office"}
    assert refused.value.message_dict["deadline"] == ["完成时限不能早于今天。"]
    assert not DutyTask.objects.exists() and not DutyAssignment.objects.exists()


def test_who_may_issue(cast, tree, issue):
    with pytest.raises(PermissionDenied):
        issue(actor=cast.street_a, area=tree.city)  # a street cannot issue for the city
    with pytest.raises(PermissionDenied):
        issue(actor=cast.street_b, area=tree.street_a, target_level=Level.COMMUNITY)
    with pytest.raises(PermissionDenied):
        issue(actor=cast.secretary, area=tree.street_a, target_level=Level.COMMUNITY)
    assert not DutyTask.objects.exists()


# --- THE RULE (the service) ---------------------------------------------------------------------------------


def test_task_to_communities_without_affair_is_refused(cast, tree, issue):
    with pytest.raises(ValidationError) as refused:
        issue(target_level=Level.COMMUNITY)
    assert refused.value.message_dict == {"affair": [NO_AFFAIR]}
    assert refused.value.error_dict["affair"][0].code == "not_admitted"
    assert not DutyTask.objects.exists() and not DutyAssignment.objects.exists()
    assert not TaskList.objects.exists()


def test_affair_must_be_valid_on_the_deadline(cast, tree, issue, affair, today):
    affair.valid_to = today + timedelta(days=10)
    affair.save()
    with pytest.raises(ValidationError) as refused:
        issue(target_level=Level.COMMUNITY, affair=affair, deadline=today + timedelta(days=20))
    [message] = refused.value.message_dict["affair"]
    assert message.startswith(NOT_ADMITTED) and "不在有效期内" in message
    # Valid on the deadline itself: issued.
    task = issue(target_level=Level.COMMUNITY, affair=affair, deadline=today + timedelta(days=10))
    assert task.assignments.count() == 2


def test_affair_not_yet_valid_is_refused(cast, tree, issue, affair, today):
    affair.valid_from = today + timedelta(days=60)
    affair.save()
    with pytest.raises(ValidationError) as refused:
        issue(target_level=Level.COMMUNITY, affair=affair)
    assert refused.value.message_dict["affair"][0].startswith(NOT_ADMITTED)


def test_affair_must_cover_every_target(cast, tree, issue, affair, today):
    """An affair admitted for 青江街道's communities does not let the city load 东城街道's."""
    street_only = AdmittedAffair.objects.create(
        area=tree.street_a,
        name="老旧小区改造意见征集",
        legal_basis="区住建局文件",
        department="雨城区住建局",
        funds_per_community=Decimal("5000"),
        valid_from=date(today.year, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        issue(target_level=Level.COMMUNITY, affair=street_only)
    assert "有 1 个社区不在其范围内" in refused.value.message_dict["affair"][0]
    task = issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=street_only)
    assert list(task.assignments.values_list("area", flat=True)) == [tree.community_a.pk]


def test_task_to_communities_with_affair_records_what_they_carry(cast, tree, issue, affair, today):
    year = (today + timedelta(days=30)).year
    task = issue(target_level=Level.COMMUNITY, affair=affair)
    assert task.assignments.count() == 2
    carried = CarriedAffair.objects.order_by("area__path")
    assert [(c.area, c.affair, c.year, c.funds) for c in carried] == [
        (tree.community_a, affair, year, Decimal("20000.00")),
        (tree.community_b, affair, year, Decimal("20000.00")),
    ]
    # A second task under the same affair adds no funds: the affair is carried once a year.
    issue(title="网格员培训", target_level=Level.COMMUNITY, affair=affair)
    assert CarriedAffair.objects.count() == 2


def test_tasks_to_streets_need_no_affair(cast, issue):
    assert issue(target_level=Level.STREET).affair is None


# --- bulk ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [30, 1200])
def test_issue_is_bulk(cast, tree, issue, affair, n, django_assert_max_num_queries):
    """Thousands of targets: multi-row INSERTs (as many rows as the database takes in one statement: SQLite
    999 parameters, i.e. ~60 rows of an assignment), never a query per target."""
    add_children(tree.street_a, n, Level.COMMUNITY)
    started = timezone.now()
    batches = -(-n // 60)
    # targets, task list, task, assignments / logs / carried affairs by batches, content type, recipients
    with django_assert_max_num_queries(15 + 3 * batches):
        task = issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair)
    assert (timezone.now() - started).total_seconds() < 10
    assert task.assignments.count() == n + 1  # 桥楼社区 and the n new ones
    assert TransitionLog.objects.filter(transition="start").count() == n + 1
    assert CarriedAffair.objects.count() == n + 1
