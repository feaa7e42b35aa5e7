"""The one generic way to move a workflow record through the API, walked for EVERY workflow model
(`workflow_models()`): list the steps (`GET …/{id}/transitions/`), take one (`POST …/transitions/{name}/`),
see the state change and the log row; the outsider (street_b) gets 404; someone who sees the record but may
not take the step gets 403 with the workflow's message.

Each model has a scenario: a record built through its part's services, the step to take (with the fields of
its form when the step has one) and extra people. Who takes the step and who is refused is found, not
assumed: the first person (extras, then the cast) who sees the record and may / may not take the step. A new
workflow model fails `test_every_workflow_model_has_a_scenario` until it gets one here."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.workflow.engine import TransitionRefused, check, workflow_models
from grassroots.workflow.models import TransitionLog
from tests.factories import make_party_org, make_user

_ids = itertools.count(1)


def a_member(branch, **fields):
    from grassroots.core.members.identity import id_check_digit
    from grassroots.core.members.models import Member
    from grassroots.workflow.services import start

    first17 = f"511802198005{next(_ids) % 28 + 1:02d}{next(_ids) % 1000:03d}"
    member = Member.objects.create(
        name=fields.pop("name", "张三"),
        gender="male",
        birth_date=date(1980, 5, 1),
        id_number=first17 + id_check_digit(first17),
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
        joined_full_on=date(2006, 7, 1),
        **fields,
    )
    start(member, actor=None)
    return member


def verification(cast, tree):
    from tests.workflow.factories import register

    return register(tree.courtyard_a), "verify", {}, []


def _branch_under_a_secretary(tree):
    """A branch under a general branch whose secretary is a plain member: they see the branch's records
    (the organization clause) but keep none of them (the steps need a keeper role or the branch's own
    secretary)."""
    general = make_party_org("桥楼社区党总支", tree.community_a, "general_branch")
    general.secretary = make_user("general_sec", Role.MEMBER, tree.community_a)
    general.save()
    return make_party_org("桥楼社区第一党支部", tree.community_a, parent=general), general.secretary


def member(cast, tree):
    branch, general_sec = _branch_under_a_secretary(tree)
    return a_member(branch), "mark_mobile", {"mobile_location": "成都市武侯区"}, [general_sec]


def transfer(cast, tree):
    from grassroots.core.members.services import manage

    branch, general_sec = _branch_under_a_secretary(tree)
    own = make_user("member_user", Role.MEMBER, tree.community_a)
    record = manage.request_transfer(
        actor=cast.secretary,
        member=a_member(branch, user=own),
        to_branch=make_party_org("育才社区党支部", tree.community_b),
    )
    return record, "release", {"letter_number": "雅组转12号"}, [own, general_sec]


def registration(cast, tree):
    from grassroots.core.members.services import registration as services

    unit = make_party_org("雅安日报党支部", tree.county)
    record = services.register_org(actor=cast.city, party_org=unit, community=tree.community_a)
    return record, "confirm", {}, []


def admission_request(cast, tree):
    from grassroots.core.admission.services import file_request

    county = make_user("county", Role.COUNTY_OFFICIAL, tree.county)
    record = file_request(
        actor=county,
        area=tree.street_a,
        department="雨城区民政局",
        name="高龄津贴资格认证",
        legal_basis="条例",
        justification="便于上门认证。",
        powers="入户核验",
        funds_per_community=Decimal("8000.00"),
        valid_from=date(2025, 1, 1),
        valid_to=None,
    )
    return record, "review", {}, [county]


def funds_transfer(cast, tree):
    from grassroots.core.admission.models import AdmittedAffair
    from grassroots.core.admission.services import allot_funds

    county = make_user("county", Role.COUNTY_OFFICIAL, tree.county)
    affair = AdmittedAffair.objects.create(
        area=tree.city,
        name="人民调解",
        legal_basis="《人民调解法》",
        department="司法局",
        powers="主持调解",
        funds_per_community=Decimal("10000"),
        valid_from=date(2020, 1, 1),
    )
    year = timezone.localdate().year
    record = allot_funds(
        actor=county,
        affair=affair,
        community=tree.community_a,
        year=year,
        allotted_on=date(year, 1, 10),
        allot_document="雨财预1号",
    )
    fields = {"transferred_on": f"{year}-02-01", "transfer_document": "国库支付 1"}
    return record, "transfer", fields, [county]


def duty_assignment(cast, tree):
    from grassroots.areas.models import Level
    from grassroots.core.duties.services import issue_task

    task = issue_task(
        actor=cast.city,
        area=tree.city,
        title="基层党建重点任务",
        deadline=timezone.localdate() + timedelta(days=30),
        target_level=Level.STREET,
    )
    return task.assignments.get(area=tree.street_a), "accept", {}, []


def _orglife(tree):
    branch_sec = make_user("branch_sec", Role.MEMBER, tree.community_a)
    parent_sec = make_user("parent_sec", Role.MEMBER, tree.community_a)
    street_org = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community_org = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street_org)
    community_org.secretary = parent_sec
    community_org.save()
    branch = make_party_org("桥楼社区第一网格党支部", tree.grid_a, parent=community_org)
    branch.secretary = branch_sec
    branch.save()
    return branch, branch_sec, parent_sec


def _filed_plan(tree):
    from grassroots.core.orglife.services import plans

    branch, branch_sec, parent_sec = _orglife(tree)
    starts = timezone.now() + timedelta(hours=1)
    if timezone.localdate(starts) != timezone.localdate():
        starts = timezone.now()
    item = plans.PlanItem(
        kind="orglife_lesson", topic="学习党章", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    plan = plans.create_plan(
        actor=branch_sec, branch=branch, period_unit="month", period_start=timezone.localdate(), items=[item]
    )
    plans.file_plan(actor=branch_sec, plan=plan)
    return plan, branch_sec, parent_sec


def orglife_plan(cast, tree):
    plan, branch_sec, parent_sec = _filed_plan(tree)
    return plan, "return_plan", {"required_changes": "补充党课主讲人"}, [parent_sec, branch_sec]


def orglife_guidance(cast, tree):
    from grassroots.core.orglife.services import plans

    plan, branch_sec, parent_sec = _filed_plan(tree)
    guidance = plans.decide_plan(
        actor=parent_sec, plan=plan, decision="return", required_changes="补充主讲人"
    )
    return guidance, "acknowledge", {}, [branch_sec, parent_sec]


def orglife_report(cast, tree):
    from grassroots.core.orglife.services import reports

    branch, branch_sec, parent_sec = _orglife(tree)
    one = a_member(branch, name="王丽")
    starts = timezone.now() - timedelta(days=2)
    report = reports.report_unplanned(
        actor=branch_sec,
        branch=branch,
        kind="orglife_lesson",
        title="党课：学习党章",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    reports.save_report(actor=branch_sec, report=report, minutes="学习了党章。", marks=[(one, True, "")])
    return report, "submit", {}, [branch_sec, parent_sec]


def finding(cast, tree):
    from grassroots.core.assessments.services import inspections

    inspection = inspections.create_inspection(
        actor=cast.street_a,
        area=tree.community_a,
        title="基层党建工作专项督察",
        inspected_on=timezone.localdate() - timedelta(days=60),
    )
    record = inspections.add_finding(
        actor=cast.street_a,
        inspection=inspection,
        description="三会一课记录不完整",
        owner=cast.secretary,
        deadline=timezone.localdate() + timedelta(days=30),
    )
    return record, "report_rectified", {"comment": "已补齐记录"}, []


def work_report(cast, tree):
    from grassroots.core.assessments.services import reports

    street_org = make_party_org("青江街道党工委", tree.street_a, "committee")
    community_org = make_party_org("桥楼社区党总支", tree.community_a, "general_branch", street_org)
    community_org.secretary = cast.secretary
    community_org.save()
    report = reports.create_report(
        actor=cast.secretary, party_org=community_org, year=2025, content="党建工作。"
    )
    return report, "submit", {}, []


def gathering(cast, tree):
    from grassroots.gatherings import services

    starts = timezone.now() - timedelta(minutes=10)
    record = services.create_gathering(
        actor=cast.street_a,
        kind="meeting",
        title="院落议事会",
        area=tree.community_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    return record, "mark_held", {}, []


def data_request(cast, tree):
    from grassroots.privacy.services import submit_request

    return submit_request(user=cast.resident, kind="correction", details="手机号有误"), "complete", {}, []


def _opinion(tree):
    from grassroots.selfgov.services import opinions

    author = make_user("opinion_author", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    author.verified_at = timezone.now()
    author.save(update_fields=["verified_at"])
    return opinions.submit_opinion(author=author, category="parking", text="院内乱停车，消防通道被堵")


def opinion(cast, tree):
    return _opinion(tree), "reject", {}, []


def matter(cast, tree):
    """A matter in execution with its plan done (its hearing and vote are set by their services, tested in
    tests/selfgov): the generic step is the end of execution."""
    from grassroots.selfgov.models import Matter, MatterState
    from grassroots.selfgov.services import matters

    record = matters.create_matter(
        actor=cast.worker,
        area=tree.courtyard_a,
        title="一号院落停车整治",
        category="parking",
        opinions=[_opinion(tree)],
    )
    Matter.objects.filter(pk=record.pk).update(state=MatterState.EXECUTION)
    record.refresh_from_db()
    # the round's plan, its one milestone done: the execution may end
    from django.utils import timezone

    from grassroots.selfgov.services import execution

    execution.set_plan(
        actor=cast.worker,
        matter=record,
        owner=cast.worker,
        milestones=[{"title": "施工", "weight": 100, "planned_on": timezone.localdate()}],
    )
    execution.complete_milestone(actor=cast.worker, matter=record, milestone=record.milestones.get())
    return record, "start_evaluation", {}, []


def _partner(cast, tree):
    """A school of community A and its representative (the partner clause)."""
    from grassroots.cogov import services

    rep = make_user("school_rep", Role.PARTNER_REP, tree.community_a)
    school = services.save_partner(
        actor=cast.secretary, name="桥楼小学", kind="school", area=tree.community_a, representatives=[rep]
    )
    return school, rep


def claim(cast, tree):
    """The school claims a share of a need community A published: the community accepts it (its staff; the
    representative, who sees the claim, may only withdraw it)."""
    from grassroots.cogov import services_items

    school, rep = _partner(cast, tree)
    today = timezone.localdate()
    need = services_items.save_need(
        actor=cast.worker,
        community=tree.community_a,
        year=today.year,
        title="老年人健康讲座",
        category="professional",
        shares=2,
        unit="次",
    )
    services_items.publish_item(actor=cast.worker, item=need)
    record = services_items.claim_need(
        actor=rep, item=need, partner=school, planned_on=today + timedelta(days=20)
    )
    return record, "accept", {}, [rep]


def action_item(cast, tree):
    """A decision of community A's joint meeting owned by the school: its representative reports it done
    (the note is the step's comment); the host's staff, who see it, may not."""
    from grassroots.cogov import services_meetings

    school, rep = _partner(cast, tree)
    street_org = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    host = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street_org)
    body = services_meetings.save_body(
        actor=cast.secretary, area=tree.community_a, host=host, name="桥楼社区共建联席会议", members=[school]
    )
    now = timezone.now()
    meeting = services_meetings.schedule_meeting(
        actor=cast.secretary,
        body=body,
        title="第二季度联席会议",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        agenda="议定停车整治分工",
    )
    record = services_meetings.record_decision(
        actor=cast.secretary,
        meeting=meeting,
        text="完善小区停车标识",
        due_on=timezone.localdate() + timedelta(days=10),
        owner_partner=school,
    )
    return record, "complete", {}, [rep]


def negotiation(cast, tree):
    """A negotiation community A's worker started, led by the community's Party organization: it fails with a
    reason (the step's comment); the resident, who does not see it, is no negotiator."""
    from grassroots.selfgov.services.negotiations import start_negotiation

    record = start_negotiation(
        actor=cast.worker,
        area=tree.community_a,
        party_org=make_party_org("桥楼社区党委", tree.community_a, "committee"),
        subject="小区停车位分配",
    )
    return record, "fail", {"comment": "物业与业委会未能达成一致"}, []


def dispute(cast, tree):
    """A dispute community A's worker recorded at the station: its mediator closes it with advice to
    litigate (the step's field) and the reason; the auditor, who sees it, mediates nothing."""
    from grassroots.lawgov.services_disputes import file_dispute

    record = file_dispute(
        actor=cast.worker,
        area=tree.courtyard_a,
        title="邻里漏水纠纷",
        category="neighbours",
        description="楼上漏水",
        channel="station",
        parties=[{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "李四"}],
    )
    mediator = make_user("med_a", Role.MEDIATOR, tree.community_a)
    return record, "close", {"comment": "对方拒绝调解", "advice": "litigation"}, [mediator]


SCENARIOS = {
    "lawgov.dispute": ("/api/disputes/", dispute),
    "gatherings.gathering": ("/api/gatherings/", gathering),
    "accounts.residentverification": ("/api/verifications/", verification),
    "members.member": ("/api/members/", member),
    "members.transfer": ("/api/transfers/", transfer),
    "members.registration": ("/api/registrations/", registration),
    "admission.admissionrequest": ("/api/admission-requests/", admission_request),
    "admission.fundstransfer": ("/api/funds-transfers/", funds_transfer),
    "duties.dutyassignment": ("/api/duty-assignments/", duty_assignment),
    "orglife.orglifeplan": ("/api/orglife-plans/", orglife_plan),
    "orglife.orglifeguidance": ("/api/orglife-guidance/", orglife_guidance),
    "orglife.orglifereport": ("/api/orglife-reports/", orglife_report),
    "assessments.finding": ("/api/findings/", finding),
    "assessments.workreport": ("/api/work-reports/", work_report),
    "privacy.datarequest": ("/api/data-requests/", data_request),
    "selfgov.opinion": ("/api/opinions/", opinion),
    "selfgov.matter": ("/api/matters/", matter),
    "cogov.claim": ("/api/claims/", claim),
    "cogov.actionitem": ("/api/action-items/", action_item),
    "selfgov.negotiation": ("/api/negotiations/", negotiation),
}


def label(model) -> str:
    return model._meta.label_lower


def test_every_workflow_model_has_a_scenario():
    assert {label(m) for m in workflow_models()} <= set(SCENARIOS)


def refusal(record, name, user) -> str | None:
    """The workflow's permission message when `user` may not take `name` on `record` (else None)."""
    try:
        check(record, name, actor=user, comment="理由")
    except TransitionRefused as refused:
        return refused.message if refused.code == "permission" else None
    return None


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("model", workflow_models(), ids=label)
def test_walk_each_workflow_model_through_the_api(model, cast, tree, api_for, today):
    resource, build = SCENARIOS[label(model)]
    record, name, fields, extras = build(cast, tree)
    url = f"{resource}{record.pk}/transitions/"
    assert api_for(cast.street_b).get(url).status_code == 404
    assert api_for(cast.street_b).post(f"{url}{name}/", fields).status_code == 404

    people = [*extras, cast.city, cast.street_a, cast.secretary, cast.worker, cast.resident, cast.auditor]
    seeing = [p for p in people if api_for(p).get(f"{resource}{record.pk}/").status_code == 200]
    doer = next(p for p in seeing if name in [t["name"] for t in api_for(p).get(url).json()])
    refused = [(p, refusal(record, name, p)) for p in seeing]
    refused = [(p, message) for p, message in refused if message]
    assert refused, f"nobody who sees a {label(model)} is refused {name}"
    lacking, message = refused[0]
    response = api_for(lacking).post(f"{url}{name}/", {"comment": "理由", **fields})
    assert response.status_code == 403, response.content
    assert message in str(response.json())

    steps = {t["name"]: t for t in api_for(doer).get(url).json()}
    assert set(steps[name]) >= {"name", "label", "comment_required", "fields"}
    assert set(steps[name]["fields"]) >= set(fields) - {"comment"}
    before = record.state_value
    body = {"comment": "同意", **fields}
    response = api_for(doer).post(f"{url}{name}/", body)
    assert response.status_code in (200, 204), response.content
    record.refresh_from_db()
    assert record.state_value != before
    log = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=record.pk
    ).last()
    assert (log.transition, log.from_state, log.to_state, log.actor) == (
        name,
        before,
        record.state_value,
        doer,
    )
    again = api_for(doer).post(f"{url}{name}/", body)
    assert again.status_code in (400, 403), again.content  # not in a state for it any more
