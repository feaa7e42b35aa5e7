"""The mechanism through its service: who may take which transition in which state, and what is written."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.accounts.models import ResidentVerification, RoleGrant, VerificationState
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area
from grassroots.workflow.engine import workflow_models
from grassroots.workflow.models import TransitionLog
from grassroots.workflow.selectors import available_transitions, pending_for
from grassroots.workflow.services import TransitionRefused, transition
from tests.factories import make_user


def logs_of(record):
    ct = ContentType.objects.get_for_model(record)
    return list(TransitionLog.objects.filter(content_type=ct, object_id=record.pk).order_by("at", "id"))


def test_registration_opens_the_log(application):
    [start] = logs_of(application)
    assert (start.transition, start.from_state, start.to_state) == ("start", "", "pending")
    assert start.actor == application.user


def test_a_community_worker_verifies_and_the_log_records_who_when_from_to_why(application, cast):
    before = timezone.now()
    log = transition(application, "verify", actor=cast.worker, comment="已电话核实")

    application.refresh_from_db()
    assert application.state == VerificationState.VERIFIED
    assert application.decided_by == cast.worker
    application.user.refresh_from_db()
    assert application.user.verified_at is not None
    assert application.user.identity_verified

    assert logs_of(application)[-1] == log
    log.refresh_from_db()
    assert log.actor == cast.worker
    assert log.at >= before
    assert (log.transition, log.from_state, log.to_state) == ("verify", "pending", "verified")
    assert log.comment == "已电话核实"


@pytest.mark.parametrize("who", ["worker", "secretary", "grid_worker"])
def test_each_verifier_role_covering_the_address_may_verify(application, cast, people, who):
    actor = getattr(cast, who, None) or getattr(people, who)
    transition(application, "verify", actor=actor)
    assert application.state == VerificationState.VERIFIED


@pytest.mark.parametrize("who", ["street_a", "city", "admin", "auditor", "resident"])
def test_roles_not_declared_on_the_transition_are_refused(application, cast, who):
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "verify", actor=getattr(cast, who))
    assert refused.value.code == "permission"
    assert "您没有权限" in refused.value.message
    application.refresh_from_db()
    assert application.state == VerificationState.PENDING
    assert len(logs_of(application)) == 1  # only the registration: a refusal writes nothing


def test_the_applicant_cannot_verify_themselves(application):
    with pytest.raises(TransitionRefused):
        transition(application, "verify", actor=application.user)


def test_a_verifier_of_another_community_is_refused(application, people):
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "verify", actor=people.worker_b)
    assert refused.value.code == "permission"


def test_a_grid_worker_of_another_grid_is_refused(application, tree):
    other_grid = Area.objects.add_child(tree.community_a, {"name": "第二网格", "level": 5})
    outsider = make_user("grid_2", Role.GRID_WORKER, other_grid)
    with pytest.raises(TransitionRefused):
        transition(application, "verify", actor=outsider)


def test_the_working_area_narrows_the_roles(application, cast, tree):
    RoleGrant.objects.create(user=cast.worker, role=Role.COMMUNITY_WORKER, area=tree.community_b)
    cast.worker.__dict__.pop("_grants_cache", None)
    cast.worker.active_area_path = tree.community_b.path
    with pytest.raises(TransitionRefused):
        transition(application, "verify", actor=cast.worker)
    cast.worker.active_area_path = tree.community_a.path
    transition(application, "verify", actor=cast.worker)


def test_a_transition_from_the_wrong_state_is_refused(application, cast):
    transition(application, "verify", actor=cast.worker)
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "reject", actor=cast.secretary, comment="重复")
    assert refused.value.code == "state"
    assert refused.value.message == "该记录当前为“已核验”，不能执行“退回”。"
    assert [log.transition for log in logs_of(application)] == ["start", "verify"]


def test_a_failed_check_is_refused_with_its_message(application, cast, tree):
    Area.objects.filter(pk=tree.courtyard_a.pk).update(retired=True)
    application = ResidentVerification.objects.get(pk=application.pk)
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "verify", actor=cast.worker)
    assert refused.value.code == "condition"
    assert refused.value.message == "该地址已撤销，请居民修改地址后重新提交。"


def test_a_rejection_needs_its_reason(application, cast):
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "reject", actor=cast.worker, comment="   ")
    assert refused.value.code == "comment_required"
    assert refused.value.message == "请填写退回理由。"
    transition(application, "reject", actor=cast.worker, comment="地址与户籍不符")
    application.refresh_from_db()
    assert application.state == VerificationState.REJECTED
    assert application.reason == "地址与户籍不符"


def test_an_unknown_transition_is_refused(application, cast):
    with pytest.raises(TransitionRefused) as refused:
        transition(application, "delete", actor=cast.worker)
    assert refused.value.code == "unknown"


def test_a_stale_copy_cannot_overwrite_a_decision_taken_meanwhile(application, cast):
    mine = ResidentVerification.objects.get(pk=application.pk)
    theirs = ResidentVerification.objects.get(pk=application.pk)
    transition(theirs, "verify", actor=cast.secretary)
    with pytest.raises(TransitionRefused) as refused:
        transition(mine, "reject", actor=cast.worker, comment="资料不全")
    assert refused.value.code == "concurrent"
    assert mine.state == VerificationState.VERIFIED  # reloaded
    assert [log.transition for log in logs_of(application)] == ["start", "verify"]


def test_only_the_applicant_may_resubmit_a_rejected_request(application, cast):
    transition(application, "reject", actor=cast.worker, comment="姓名有误")
    with pytest.raises(TransitionRefused):
        transition(application, "resubmit", actor=cast.worker)
    with pytest.raises(TransitionRefused):
        transition(application, "resubmit", actor=cast.resident)
    transition(application, "resubmit", actor=application.user)
    assert application.state == VerificationState.PENDING
    assert application.reason == ""


def test_available_transitions_follow_role_scope_and_state(application, cast, people):
    assert [t.name for t in available_transitions(application, cast.worker)] == ["verify", "reject"]
    assert [t.name for t in available_transitions(application, people.grid_worker)] == ["verify", "reject"]
    for outsider in (cast.street_a, cast.street_b, people.worker_b, application.user):
        assert available_transitions(application, outsider) == []

    reject = available_transitions(application, cast.worker)[1]
    assert (reject.label, reject.comment_required, reject.comment_label) == ("退回", True, "退回理由")
    assert reject.target_label == "已退回"

    transition(application, "reject", actor=cast.worker, comment="地址不对")
    assert available_transitions(application, cast.worker) == []
    [resubmit] = available_transitions(application, application.user)
    assert resubmit.name == "resubmit"
    assert resubmit.form_url == f"/accounts/verification/{application.pk}/resubmit/"


def test_available_transitions_cost_no_query_once_loaded(application, cast, django_assert_num_queries):
    record = ResidentVerification.objects.select_related("area").get(pk=application.pk)
    cast.worker.grants_cached()
    with django_assert_num_queries(0):
        assert len(available_transitions(record, cast.worker)) == 2


def test_pending_for_lists_what_the_user_may_act_on(application, cast, people, tree):
    item = pending_for(cast.worker)[0]
    assert item.title == "实名核验：王小明（一号院落）"
    assert item.url == application.get_absolute_url()
    assert item.state_label == "待核验"
    assert item.since == application.submitted_at
    assert [i.url for i in pending_for(people.grid_worker)] == [item.url]
    for bystander in (cast.street_a, people.worker_b, cast.resident, application.user):
        assert pending_for(bystander) == []

    transition(application, "verify", actor=cast.worker)
    assert pending_for(cast.worker) == []


def test_a_returned_request_awaits_its_applicant(application, cast):
    assert pending_for(application.user) == []
    transition(application, "reject", actor=cast.worker, comment="照片不清")
    [item] = pending_for(application.user)
    assert (item.url, item.state_label) == (application.get_absolute_url(), "已退回")
    assert item.since == application.decided_at
    assert pending_for(cast.worker) == []
    assert pending_for(cast.resident) == []


def test_pending_for_is_oldest_first_limited_and_costs_one_query_per_model(
    cast, people, tree, django_assert_max_num_queries
):
    from tests.workflow.factories import register

    for i in range(12):
        register(tree.courtyard_a, username=f"r{i}", full_name=f"居民{i}")
    cast.worker.grants_cached()
    # one per workflow model: its records waiting for this user, oldest first, limited (grants cached above)
    with django_assert_max_num_queries(len(workflow_models())):
        items = pending_for(cast.worker, limit=10)
    assert [i.title for i in items] == [f"实名核验：居民{i}（一号院落）" for i in range(10)]
