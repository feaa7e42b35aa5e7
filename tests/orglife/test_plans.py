"""The filing form and the guidance form: draft → filed → approved (gatherings created) or returned →
refiled; who may take each step, through the pages and the generic workflow view."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import GuidanceState, OrgLifeGuidance, OrgLifePlan, PlanState
from grassroots.core.orglife.services import plans as services
from grassroots.gatherings.models import Gathering
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.models import Notification
from grassroots.workflow.services import transition
from tests.orglife.conftest import at

NEXT_MONTH = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)


def item_data(prefix="items", rows=()):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def a_row(kind=kinds.COMMITTEE_MEETING, day=NEXT_MONTH + timedelta(days=4), topic="研究本月工作"):
    return {
        "kind": kind,
        "topic": topic,
        "day": day.isoformat(),
        "start": "14:30",
        "end": "16:00",
        "lecturer": "张书记",
    }


def make_plan(actor, branch, rows=2):
    items = [
        services.PlanItem(
            kind=kind,
            topic=f"主题{n}",
            starts_at=at(NEXT_MONTH + timedelta(days=n + 3), 14),
            ends_at=at(NEXT_MONTH + timedelta(days=n + 3), 16),
            lecturer="张书记",
        )
        for n, kind in enumerate([kinds.COMMITTEE_MEETING, kinds.PARTY_LESSON][:rows])
    ]
    return services.create_plan(
        actor=actor, branch=branch, period_unit="month", period_start=NEXT_MONTH, items=items
    )


def test_the_branch_secretary_files_and_the_organization_above_approves_through_the_pages(
    orgs, client_for, django_capture_on_commit_callbacks
):
    secretary = client_for(orgs.branch_sec)
    response = secretary.post(
        f"/orglife/branches/{orgs.branch.pk}/plans/new/",
        {
            "period_unit": "month",
            "period_start": NEXT_MONTH.isoformat(),
            "note": "",
            **item_data(rows=[a_row(), a_row(kinds.PARTY_LESSON, topic="学习党章")]),
        },
    )
    plan = OrgLifePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orglife/plans/{plan.pk}/"
    assert plan.state == PlanState.DRAFT and plan.items.count() == 2 and plan.created_by == orgs.branch_sec

    ct = ContentType.objects.get_for_model(OrgLifePlan).pk
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(f"/workflow/{ct}/{plan.pk}/file/", {"comment": ""})
    plan.refresh_from_db()
    assert plan.state == PlanState.FILED and plan.filed_by == orgs.branch_sec
    # The secretary of the organization above is told.
    assert Notification.objects.filter(recipient=orgs.parent_sec, verb__contains="备案单").exists()

    above = client_for(orgs.parent_sec)
    page = above.get(f"/orglife/plans/{plan.pk}/")
    assert f"/orglife/plans/{plan.pk}/guidance/" in page.content.decode()
    response = above.post(
        f"/orglife/plans/{plan.pk}/guidance/",
        {"decision": "approve", "comments": "主题鲜明，注意做好会议记录。"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.decided_by == orgs.parent_sec
    guidance = OrgLifeGuidance.objects.get(plan=plan)
    assert guidance.author_org == orgs.community_org and guidance.state == GuidanceState.ISSUED
    # Each planned gathering became a gathering of the branch, of its kind, organized by the secretary.
    gatherings = Gathering.objects.filter(party_org=orgs.branch).order_by("starts_at")
    assert [g.kind for g in gatherings] == [kinds.COMMITTEE_MEETING, kinds.PARTY_LESSON]
    assert all(g.organizer == orgs.branch_sec and g.area == orgs.branch.area for g in gatherings)
    assert list(plan.items.values_list("gathering_id", flat=True)) == [g.pk for g in gatherings]

    # The branch acknowledges the guidance.
    gct = ContentType.objects.get_for_model(OrgLifeGuidance).pk
    assert secretary.post(f"/workflow/{gct}/{guidance.pk}/acknowledge/", {}).status_code == 302
    guidance.refresh_from_db()
    assert guidance.state == GuidanceState.ACKNOWLEDGED and guidance.acknowledged_by == orgs.branch_sec


def test_a_return_needs_the_changes_and_the_branch_refiles(
    orgs, cast, client_for, django_capture_on_commit_callbacks
):
    plan = make_plan(cast.worker, orgs.branch)
    transition(plan, "file", actor=cast.worker)
    street = client_for(cast.street_a)
    response = street.post(
        f"/orglife/plans/{plan.pk}/guidance/", {"decision": "return", "comments": "不够具体"}
    )
    assert response.status_code == 200
    assert "退回时请写明需修改的事项。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.FILED and not OrgLifeGuidance.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        street.post(
            f"/orglife/plans/{plan.pk}/guidance/", {"decision": "return", "required_changes": "增加一次党课"}
        )
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED and not Gathering.objects.exists()
    assert Notification.objects.filter(recipient=orgs.branch_sec, verb__contains="退回").exists()

    # The branch edits while returned, then refiles; the organization above approves.
    response = client_for(orgs.branch_sec).post(
        f"/orglife/plans/{plan.pk}/edit/",
        {
            "note": "已增加党课",
            **item_data(
                rows=[a_row(), a_row(kinds.PARTY_LESSON), a_row(kinds.PARTY_LESSON, topic="第二次党课")]
            ),
        },
    )
    assert response.status_code == 302 and plan.items.count() == 3
    services.file_plan(actor=orgs.branch_sec, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.FILED
    services.decide_plan(actor=cast.street_a, plan=plan, decision="approve")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and Gathering.objects.filter(party_org=orgs.branch).count() == 3
    assert [g.decision for g in plan.guidance.all()] == ["return", "approve"]


@pytest.mark.parametrize(
    ("who", "may_file", "may_decide"),
    [
        ("branch_sec", True, False),  # the branch's own secretary
        ("worker", True, False),  # community worker by role
        ("secretary", True, False),  # community secretary by role (not the secretary of the org above)
        ("parent_sec", False, True),  # secretary of the organization above
        ("street_a", False, True),  # street official
        ("city", False, True),
        ("auditor", False, False),
        ("resident", False, False),
        ("street_b", False, False),
    ],
)
def test_who_may_file_and_who_may_decide(orgs, cast, who, may_file, may_decide):
    user = getattr(orgs, who, None) or getattr(cast, who)
    plan = make_plan(cast.worker, orgs.branch)
    if may_file:
        transition(plan, "file", actor=user)
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(plan, "file", actor=user)
        assert refused.value.code == "permission"
        transition(plan, "file", actor=orgs.branch_sec)
    if may_decide:
        services.decide_plan(actor=user, plan=plan, decision="approve")
        assert OrgLifePlan.objects.get().state == PlanState.APPROVED
    else:
        with pytest.raises(Exception) as refused:
            services.decide_plan(actor=user, plan=plan, decision="approve")
        assert type(refused.value).__name__ in {"PermissionDenied", "TransitionRefused"}
        assert OrgLifePlan.objects.get().state == PlanState.FILED


def test_nobody_approves_a_plan_they_filed_themselves(orgs, cast):
    plan = make_plan(cast.street_a if False else orgs.branch_sec, orgs.branch)
    # An administrator is both branch side and organization above; filing then deciding is refused.
    transition(plan, "file", actor=cast.admin)
    with pytest.raises(TransitionRefused):
        services.decide_plan(actor=cast.admin, plan=plan, decision="approve")
    services.decide_plan(actor=cast.street_a, plan=plan, decision="approve")


def test_an_empty_plan_cannot_be_filed_and_items_must_lie_in_the_period(orgs, cast):
    plan = services.create_plan(
        actor=cast.worker, branch=orgs.branch, period_unit="quarter", period_start=NEXT_MONTH
    )
    with pytest.raises(TransitionRefused) as refused:
        transition(plan, "file", actor=cast.worker)
    assert refused.value.message == "请至少列出一次计划召开的会议。"
    outside = NEXT_MONTH + timedelta(days=200)
    with pytest.raises(Exception) as error:
        services.update_plan(
            actor=cast.worker,
            plan=plan,
            note="",
            items=[services.PlanItem(kinds.PARTY_LESSON, "党课", at(outside), at(outside, 11))],
        )
    assert "不在备案周期" in str(error.value)


def test_the_generic_approve_button_cannot_skip_the_guidance_form(orgs, cast, client_for):
    plan = make_plan(cast.worker, orgs.branch)
    transition(plan, "file", actor=cast.worker)
    ct = ContentType.objects.get_for_model(OrgLifePlan).pk
    response = client_for(cast.street_a).post(f"/workflow/{ct}/{plan.pk}/approve/", {"comment": "ok"})
    assert response.status_code in (400, 403)
    plan.refresh_from_db()
    assert plan.state == PlanState.FILED and not Gathering.objects.exists()


def test_outsiders_get_404_and_those_who_see_but_may_not_act_get_403(orgs, cast, client_for):
    plan = make_plan(cast.worker, orgs.branch)
    transition(plan, "file", actor=cast.worker)
    for user in (cast.street_b, cast.resident):
        client = client_for(user)
        assert client.get(f"/orglife/plans/{plan.pk}/").status_code == 404
        assert client.get(f"/orglife/branches/{orgs.branch.pk}/").status_code == 404
        assert client.post(f"/orglife/plans/{plan.pk}/guidance/", {"decision": "approve"}).status_code == 404
    auditor = client_for(cast.auditor)
    assert auditor.get(f"/orglife/plans/{plan.pk}/").status_code == 200
    assert auditor.post(f"/orglife/plans/{plan.pk}/guidance/", {"decision": "approve"}).status_code == 403
    assert client_for(orgs.branch_sec).get(f"/orglife/plans/{plan.pk}/guidance/").status_code == 403
    assert client_for(cast.street_a).get(f"/orglife/branches/{orgs.branch.pk}/plans/new/").status_code == 403
