"""An assignment's steps: issued → accepted → in progress → submitted → approved, or returned with a reason
→ in progress → resubmitted; who may take each (the target's own officials do, the issuer's check)."""

import pytest

from grassroots.areas.models import Level
from grassroots.core.duties.models import AssignmentState
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.models import Notification, TransitionAttachment
from grassroots.workflow.selectors import available_transitions, timeline
from tests.duties.conftest import pdf


@pytest.fixture
def street_a_share(cast, tree, issue):
    """Street A's assignment of a task the city issued to every street."""
    return issue().assignments.get(area=tree.street_a)


def names(assignment, user) -> list[str]:
    return [t.name for t in available_transitions(assignment, user)]


def test_happy_path(cast, street_a_share, step, today, django_capture_on_commit_callbacks):
    a = street_a_share
    assert names(a, cast.street_a) == ["accept"]
    step(a, "accept", cast.street_a)
    assert a.state == AssignmentState.ACCEPTED and a.accepted_at is not None
    step(a, "begin", cast.street_a)
    assert names(a, cast.street_a) == ["submit"]  # not "resubmit": never returned
    with django_capture_on_commit_callbacks(execute=True):
        step(a, "submit", cast.street_a, "召开专题会议 3 次，覆盖全部社区。", files=[pdf()])
    assert a.state == AssignmentState.SUBMITTED and a.evidence.startswith("召开专题会议")
    # The city's officials are told to check it; the street sees nothing to do.
    assert Notification.objects.filter(recipient=cast.city, verb__contains="请审核").exists()
    assert names(a, cast.street_a) == [] and names(a, cast.city) == ["approve", "send_back"]
    with django_capture_on_commit_callbacks(execute=True):
        step(a, "approve", cast.city, "材料齐全")
    assert a.state == AssignmentState.APPROVED
    assert a.completed_on == today and a.on_time and not a.is_overdue()
    assert Notification.objects.filter(recipient=cast.street_a, verb__contains="已审核通过").exists()
    entries = timeline(a)
    assert [e.label for e in entries] == ["下发", "接收任务", "开始办理", "提交完成情况", "审核通过"]
    assert [f.name for f in entries[3].attachments] == ["佐证材料.pdf"]
    assert TransitionAttachment.objects.count() == 1


def test_returned_and_resubmitted(cast, street_a_share, step, django_capture_on_commit_callbacks):
    a = street_a_share
    step(a, "accept", cast.street_a)
    step(a, "begin", cast.street_a)
    step(a, "submit", cast.street_a, "初稿")
    with pytest.raises(TransitionRefused) as refused:
        step(a, "send_back", cast.city)  # a return needs its reason
    assert refused.value.code == "comment_required"
    with django_capture_on_commit_callbacks(execute=True):
        step(a, "send_back", cast.city, "缺少会议记录")
    assert a.state == AssignmentState.RETURNED and a.return_reason == "缺少会议记录" and a.returned_count == 1
    assert Notification.objects.filter(recipient=cast.street_a, verb__contains="缺少会议记录").exists()
    assert names(a, cast.street_a) == ["rework"]
    step(a, "rework", cast.street_a)
    assert a.state == AssignmentState.IN_PROGRESS
    assert names(a, cast.street_a) == ["resubmit"]
    with pytest.raises(TransitionRefused) as refused:
        step(a, "submit", cast.street_a, "again")
    assert refused.value.code == "condition" and "重新提交" in refused.value.message
    step(a, "resubmit", cast.street_a, "补充了会议记录", files=[pdf("会议记录.pdf")])
    step(a, "approve", cast.city)
    assert a.state == AssignmentState.APPROVED and a.evidence == "补充了会议记录" and a.returned_count == 1
    assert [e.log.transition for e in timeline(a)] == [
        "start",
        "accept",
        "begin",
        "submit",
        "send_back",
        "rework",
        "resubmit",
        "approve",
    ]


def test_only_the_target_does_and_only_the_issuer_checks(cast, tree, street_a_share, step):
    a = street_a_share
    for outsider in (cast.street_b, cast.city, cast.secretary, cast.worker, cast.admin, cast.auditor):
        with pytest.raises(TransitionRefused) as refused:
            step(a, "accept", outsider)
        assert refused.value.code == "permission", outsider
    step(a, "accept", cast.street_a)
    step(a, "begin", cast.street_a)
    step(a, "submit", cast.street_a, "done")
    for outsider in (cast.street_a, cast.street_b, cast.secretary):
        with pytest.raises(TransitionRefused):
            step(a, "approve", outsider)
    step(a, "approve", cast.admin)  # an administrator on the city checks what the city issued
    assert a.state == AssignmentState.APPROVED


def test_community_work_is_done_by_the_community(cast, tree, issue, affair, step):
    """A street official's grant covers its communities, but does not make them do the community's work;
    the community's secretary and workers do, and the street (which issued it) checks."""
    task = issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair)
    a = task.assignments.get()
    with pytest.raises(TransitionRefused):
        step(a, "accept", cast.street_a)
    step(a, "accept", cast.worker)
    step(a, "begin", cast.secretary)
    step(a, "submit", cast.secretary, "完成")
    with pytest.raises(TransitionRefused):
        step(a, "approve", cast.city)  # the city did not issue it
    step(a, "approve", cast.street_a)
    assert a.state == AssignmentState.APPROVED


def test_working_area_switcher_narrows_the_doer(cast, tree, issue):
    """A user with grants on two streets acts only as the street picked as working area."""
    from grassroots.accounts.models import RoleGrant

    RoleGrant.objects.create(user=cast.street_a, role="street_official", area=tree.street_b)
    task = issue()
    a, b = task.assignments.get(area=tree.street_a), task.assignments.get(area=tree.street_b)
    user = type(cast.street_a).objects.get(pk=cast.street_a.pk)
    assert names(a, user) == ["accept"] and names(b, user) == ["accept"]
    user.active_area_path = tree.street_a.path
    assert names(a, user) == ["accept"] and names(b, user) == []
