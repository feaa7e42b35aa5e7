"""Negotiations (协商): the path by real requests — from a matter to the agreement and its follow-up, and
a failed one handed over to mediation —, refusals at their fields, scope (another community's worker gets 404
and changes nothing), the overdue follow-up on the worker's home and the clock's reminder, the figure, the
list's query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.cogov.models import Partner
from grassroots.gatherings.models import Gathering
from grassroots.selfgov import selectors_negotiations
from grassroots.selfgov.models import Comment, ConventionComment, HearingComment
from grassroots.selfgov.models_negotiations import (
    FollowUp,
    Negotiation,
    NegotiationParty,
    NegotiationState,
    Position,
)
from grassroots.selfgov.services import negotiations as services
from grassroots.workflow.models import Notification
from tests.factories import make_party_org, make_user
from tests.homes import open_home

FMT = "%Y-%m-%dT%H:%M"


def local(moment):
    return timezone.localtime(moment).strftime(FMT)


def step_url(record, name):
    content_type = ContentType.objects.get_for_model(record)
    return reverse("workflow:transition", args=[content_type.pk, record.pk, name])


@pytest.fixture
def orgs(tree):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    other = make_party_org("育才社区党委", tree.community_b, kind="committee")
    return street, community, other


@pytest.fixture
def property_company(tree):
    return Partner.objects.create(name="安居物业服务有限公司", kind="enterprise", area=tree.community_a)


@pytest.fixture
def outsider(tree):
    return make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)


def test_comment_like_records_share_one_base():
    for model in (HearingComment, ConventionComment, Position):
        assert issubclass(model, Comment)
        assert {"author", "text", "created_at"} <= {f.name for f in model._meta.fields}


def test_the_whole_path_from_a_matter_to_the_follow_up(
    client_for, cast, tree, orgs, property_company, matter, time_machine, django_capture_on_commit_callbacks
):
    worker = client_for(cast.worker)
    # the matter's page offers a negotiation; the form comes prefilled with the matter
    page = worker.get(matter.get_absolute_url()).content.decode()
    assert f"/selfgov/negotiations/new/?matter={matter.pk}" in page
    form = worker.get(f"/selfgov/negotiations/new/?matter={matter.pk}")
    assert form.status_code == 200 and form.context["form"].initial["matter"] == matter
    answer = worker.post(
        "/selfgov/negotiations/new/",
        {
            "area": tree.courtyard_a.pk,
            "party_org": orgs[1].pk,
            "subject": "一号院落停车位分配争议",
            "description": "业主与物业对地面车位收费有争议",
            "matter": matter.pk,
        },
    )
    negotiation = Negotiation.objects.get()
    assert answer.status_code == 302 and answer.url == negotiation.get_absolute_url()
    assert negotiation.state == NegotiationState.OPEN and negotiation.matter == matter
    assert negotiation.community == tree.community_a
    assert "一号院落停车位分配争议" in worker.get(matter.get_absolute_url()).content.decode()
    # a session before any party is refused, with the reason
    start = timezone.now() - timedelta(hours=3)
    session_body = {
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=2)),
        "place": "社区议事厅",
    }
    refused = worker.post(f"/selfgov/negotiations/{negotiation.pk}/sessions/", session_body)
    assert refused.status_code == 400 and "请先列出协商的参与方" in refused.content.decode()
    # the parties: the registered property company, the owners' committee by name, a resident by name and role
    url = f"/selfgov/negotiations/{negotiation.pk}/parties/"
    assert (
        worker.post(url, {"kind": "property", "partner": property_company.pk, "role": "项目经理"}).status_code
        == 302
    )
    assert worker.post(url, {"kind": "owners_committee", "name": "一号院落业主委员会"}).status_code == 302
    assert worker.post(url, {"kind": "residents", "name": "王大爷", "role": "3栋业主代表"}).status_code == 302
    refused = worker.post(url, {"kind": "residents", "name": ""})
    assert refused.status_code == 400 and "请选择登记的单位或填写名称" in refused.content.decode()
    assert negotiation.parties.count() == 3
    # a session: a gathering of kind negotiation, the parties its guests; the negotiation is in session
    assert worker.post(f"/selfgov/negotiations/{negotiation.pk}/sessions/", session_body).status_code == 302
    negotiation.refresh_from_db()
    session = negotiation.sessions.get()
    assert negotiation.state == NegotiationState.IN_SESSION
    assert session.gathering.kind == "negotiation" and session.gathering.guests.count() == 3
    # the agreement before the session is held is refused
    refused = worker.post(f"/selfgov/negotiations/{negotiation.pk}/agreement/", {"text": "按月收费"})
    assert refused.status_code == 400 and "尚无已召开的协商会议" in refused.content.decode()
    # held on the gathering's page; each party's position recorded
    assert worker.post(step_url(session.gathering, "mark_held"), {}).status_code == 302
    # the page now shows the party, session, position and agreement forms at once: every id once, so that
    # each label names its own control (协议内容 once pointed at the position's textarea, both `id_text`)
    page = worker.get(negotiation.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert {"id_position_text", "id_agreement_text", "id_party_name"} <= set(ids)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert re.search(r'<label[^>]*for="id_agreement_text"[^>]*>\s*协议内容', page)
    company, committee, resident = negotiation.parties.order_by("pk")
    for party, text in (
        (company, "地面车位按月收费 150 元"),
        (committee, "收费应经业主大会同意"),
        (resident, "老人优先"),
    ):
        answer = worker.post(
            f"/selfgov/negotiations/{negotiation.pk}/positions/",
            {"session": session.pk, "party": party.pk, "text": text},
        )
        assert answer.status_code == 302
    page = worker.get(negotiation.get_absolute_url()).content.decode()
    assert "收费应经业主大会同意" in page and "王大爷（3栋业主代表）" in page
    # the agreement: text and the signed file (served by the scoped view)
    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n% signed\n", content_type="application/pdf")
    answer = worker.post(
        f"/selfgov/negotiations/{negotiation.pk}/agreement/",
        {"text": "地面车位每月 100 元，老人优先", "file": pdf},
    )
    assert answer.status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.state == NegotiationState.AGREED and negotiation.agreed_at is not None
    download = worker.get(f"/selfgov/negotiations/{negotiation.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # follow-up: an item owned by the company, due in a week; a due date before the agreement is refused
    refused = worker.post(
        f"/selfgov/negotiations/{negotiation.pk}/follow-ups/",
        {
            "text": "划线",
            "owner": company.pk,
            "due_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    )
    assert refused.status_code == 400 and "完成期限不能早于达成协议的日期" in refused.content.decode()
    due = timezone.localdate() + timedelta(days=7)
    answer = worker.post(
        f"/selfgov/negotiations/{negotiation.pk}/follow-ups/",
        {"text": "重新施划地面车位", "owner": company.pk, "due_on": due.isoformat()},
    )
    assert answer.status_code == 302
    item = FollowUp.objects.get()
    # not done yet: 落实完毕 refused
    refused = worker.post(step_url(negotiation, "complete"), {})
    assert refused.status_code == 403 and "还有落实事项未完成" in refused.content.decode()
    negotiation.refresh_from_db()
    assert negotiation.state == NegotiationState.AGREED
    assert 'data-block="negotiations_overdue"' not in open_home(worker).content.decode()
    # past the due date: on the worker's home, and the clock reminds whoever started it, once
    time_machine.move_to(timezone.now() + timedelta(days=9))
    worker = client_for(cast.worker)
    home = open_home(worker).content.decode()
    assert 'data-block="negotiations_overdue"' in home and "重新施划地面车位" in home
    assert "已逾期" in worker.get(negotiation.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_follow_ups() == 1
        assert services.remind_overdue_follow_ups() == 0
    assert Notification.objects.filter(recipient=cast.worker, verb__contains="重新施划地面车位").count() == 1
    # done with a note; then 落实完毕 and 结案
    answer = worker.post(
        f"/selfgov/negotiations/{negotiation.pk}/follow-ups/done/",
        {"item": item.pk, "note": "已施划 24 个车位"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == cast.worker
    assert 'data-block="negotiations_overdue"' not in open_home(worker).content.decode()
    assert worker.post(step_url(negotiation, "complete"), {}).status_code == 302
    assert worker.post(step_url(negotiation, "close"), {}).status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.state == NegotiationState.CLOSED
    page = worker.get(negotiation.get_absolute_url()).content.decode()
    for label in ("发起协商", "召开协商会议", "达成协议", "落实完毕", "结案"):
        assert label in page


def test_a_failed_negotiation_is_handed_over_to_mediation_through_the_api(
    api_for, cast, tree, orgs, property_company
):
    api = api_for(cast.secretary)
    answer = api.post(
        "/api/negotiations/",
        {
            "area": tree.community_a.pk,
            "party_org": orgs[0].pk,  # the street's Party committee may lead too
            "subject": "临街商铺油烟扰民",
            "parties": [
                {"kind": "unit", "partner": property_company.pk},
                {"kind": "residents", "name": "李女士", "role": "2栋居民"},
            ],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    pk = answer.json()["id"]
    assert [p["label"] for p in answer.json()["parties"]] == ["安居物业服务有限公司", "李女士（2栋居民）"]
    start = timezone.now() - timedelta(hours=2)
    answer = api.post(
        f"/api/negotiations/{pk}/sessions/",
        {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["state"] == "in_session"
    session = answer.json()["sessions"][0]
    party = answer.json()["parties"][1]
    answer = api.post(
        f"/api/negotiations/{pk}/positions/",
        {"session": session["id"], "party": party["id"], "text": "要求安装油烟净化器"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["sessions"][0]["positions"][0]["text"] == "要求安装油烟净化器"
    steps = {s["name"] for s in api.get(f"/api/negotiations/{pk}/transitions/").json()}
    assert steps == {"fail"}  # 达成协议 needs a held session and the agreement's text
    # the failure needs its reason, at the field
    answer = api.post(f"/api/negotiations/{pk}/transitions/fail/", {}, format="json")
    assert answer.status_code == 400 and "comment" in answer.json()["errors"]
    answer = api.post(f"/api/negotiations/{pk}/transitions/fail/", {"comment": "商户拒不整改"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "failed"
    answer = api.post(
        f"/api/negotiations/{pk}/transitions/hand_over/", {"comment": "申请人民调解"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["state"] == "handed_over" and data["state_label"] == "移交调解"
    assert data["handover_reason"] == "申请人民调解" and data["failure_reason"] == "商户拒不整改"
    # the hook the rule-of-law part reads
    assert list(selectors_negotiations.awaiting_mediation(cast.worker).values_list("pk", flat=True)) == [pk]
    # no step is left
    assert api.get(f"/api/negotiations/{pk}/transitions/").json() == []


def test_the_agreement_through_the_api_with_its_file(api_for, cast, tree, orgs):
    api = api_for(cast.worker)
    negotiation = services.start_negotiation(
        actor=cast.worker,
        area=tree.community_a,
        party_org=orgs[1],
        subject="楼道堆物",
        parties=[{"kind": "residents", "name": "赵先生"}],
    )
    start = timezone.now() - timedelta(hours=2)
    session = services.schedule_session(
        actor=cast.worker, negotiation=negotiation, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    api.post(f"/api/gatherings/{session.gathering_id}/transitions/mark_held/", {}, format="json")
    assert Gathering.objects.get(pk=session.gathering_id).status == "held"
    answer = api.post(
        f"/api/negotiations/{negotiation.pk}/transitions/agree/", {"text": ""}, format="multipart"
    )
    assert answer.status_code == 400 and "text" in answer.json()["errors"]
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    answer = api.post(
        f"/api/negotiations/{negotiation.pk}/transitions/agree/",
        {"text": "一周内清理", "file": pdf},
        format="multipart",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "agreed"
    assert answer.json()["agreement_file"] == f"/selfgov/negotiations/{negotiation.pk}/file/"
    owner = answer.json()["parties"][0]["id"]
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    answer = api.post(
        f"/api/negotiations/{negotiation.pk}/follow-ups/", {"text": "清理", "owner": owner, "due_on": due}
    )
    assert answer.status_code == 201
    item = answer.json()["follow_ups"][0]
    answer = api.post(
        f"/api/negotiations/{negotiation.pk}/follow-ups/done/", {"item": item["id"], "note": "已清理"}
    )
    assert answer.status_code == 200 and answer.json()["follow_ups"][0]["done_note"] == "已清理"
    answer = api.post(f"/api/negotiations/{negotiation.pk}/transitions/complete/", {}, format="json")
    assert answer.json()["state"] == "followed_up"


def test_another_communitys_worker_gets_404_and_changes_nothing(
    client_for, api_for, cast, tree, orgs, property_company, outsider
):
    negotiation = services.start_negotiation(
        actor=cast.worker,
        area=tree.courtyard_a,
        party_org=orgs[1],
        subject="机密协商",
        parties=[{"kind": "residents", "name": "王大爷"}],
    )
    client = client_for(outsider)
    base = f"/selfgov/negotiations/{negotiation.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "file/").status_code == 404
    for path, body in (
        ("parties/", {"kind": "residents", "name": "外人"}),
        ("sessions/", {"starts_at": "2026-05-01T09:00", "ends_at": "2026-05-01T10:00"}),
        ("agreement/", {"text": "x"}),
    ):
        assert client.post(base + path, body).status_code == 404
    assert client.post(step_url(negotiation, "fail"), {"comment": "x"}).status_code == 404
    assert "机密协商" not in client.get("/selfgov/negotiations/").content.decode()
    api = api_for(outsider)
    assert api.get(f"/api/negotiations/{negotiation.pk}/").status_code == 404
    assert (
        api.post(f"/api/negotiations/{negotiation.pk}/transitions/fail/", {"comment": "x"}).status_code == 404
    )
    assert api.get("/api/negotiations/").json()["count"] == 0
    # a negotiation in their own community led by another community's organization, naming another's partner
    answer = api.post(
        "/api/negotiations/",
        {"area": tree.community_b.pk, "party_org": orgs[1].pk, "subject": "x"},
        format="json",
    )
    assert answer.status_code == 400 and "party_org" in answer.json()["errors"]
    negotiation.refresh_from_db()
    assert negotiation.state == NegotiationState.OPEN and negotiation.parties.count() == 1
    assert Negotiation.objects.count() == 1 and not negotiation.sessions.exists()
    # residents do not see negotiations at all
    assert client_for(cast.resident).get(base).status_code == 404


def test_a_partys_representative_sees_it_and_another_units_gets_404(
    client_for, api_for, cast, tree, orgs, property_company
):
    rep = make_user("rep", Role.PARTNER_REP, tree.community_a)
    property_company.representatives.add(rep)
    school = Partner.objects.create(name="青江小学", kind="institution", area=tree.community_a)
    other_rep = make_user("other_rep", Role.PARTNER_REP, tree.community_a)
    school.representatives.add(other_rep)
    start = timezone.now() - timedelta(hours=2)
    negotiation = services.start_negotiation(
        actor=cast.worker,
        area=tree.courtyard_a,
        party_org=orgs[1],
        subject="停车位分配",
        parties=[{"kind": "property", "partner": property_company, "role": "项目经理"}],
    )
    services.schedule_session(
        actor=cast.worker, negotiation=negotiation, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    base = f"/selfgov/negotiations/{negotiation.pk}/"
    # the unit's representative: the list (no area of their own), the page (no forms), the API; no step
    client = client_for(rep)
    listing = client.get("/selfgov/negotiations/")
    assert listing.status_code == 200 and "停车位分配" in listing.content.decode()
    page = client.get(base)
    assert page.status_code == 200 and "安居物业服务有限公司" in page.content.decode()
    assert "party_form" not in page.context
    assert not page.context["matter_link"] and not page.context["session_links"]
    api = api_for(rep)
    assert api.get(f"/api/negotiations/{negotiation.pk}/").status_code == 200
    assert [n["id"] for n in api.get("/api/negotiations/").json()["results"]] == [negotiation.pk]
    answer = client.post(base + "parties/", {"kind": "residents", "name": "外人"})
    assert answer.status_code in (400, 403)
    assert negotiation.parties.count() == 1
    # another unit's representative: 404 everywhere, nothing listed
    other = client_for(other_rep)
    assert other.get(base).status_code == 404
    assert other.get(base + "file/").status_code == 404
    assert "停车位分配" not in other.get("/selfgov/negotiations/").content.decode()
    other_api = api_for(other_rep)
    assert other_api.get(f"/api/negotiations/{negotiation.pk}/").status_code == 404
    assert other_api.get("/api/negotiations/").json()["count"] == 0


def test_the_figure_counts_by_state_per_subtree(cast, tree, orgs, today):
    from grassroots.core.assessments.figures import get_provider

    def start(subject):
        return services.start_negotiation(
            actor=cast.worker,
            area=tree.community_a,
            party_org=orgs[1],
            subject=subject,
            parties=[{"kind": "residents", "name": "甲"}],
        )

    agreed, failed, _open = start("一"), start("二"), start("三")
    services.take_step(actor=cast.worker, negotiation=failed, name="fail", comment="僵持")
    Negotiation.objects.filter(pk=agreed.pk).update(state="agreed", agreed_at=timezone.now())
    figure = get_provider("selfgov.negotiations_agreed").func([tree.street_a, tree.street_b], today.year)
    assert tree.street_b.pk not in figure
    line = figure[tree.street_a.pk]
    assert line.normalized_rate == 0.5 and "共 3 件" in line.detail and "协商未果 1" in line.detail


def test_the_list_query_count_does_not_grow(client_for, cast, tree, orgs, django_assert_max_num_queries):
    def make(first, last):
        for i in range(first, last):
            services.start_negotiation(
                actor=cast.worker,
                area=tree.courtyard_a,
                party_org=orgs[1],
                subject=f"协商{i}",
                matter=None,
                parties=[{"kind": "residents", "name": f"居民{i}"}],
            )

    make(0, 2)
    client = client_for(cast.street_a)
    with django_assert_max_num_queries(14) as few:
        assert client.get(f"/selfgov/negotiations/?area={tree.street_a.pk}").status_code == 200
    make(2, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/selfgov/negotiations/?area={tree.street_a.pk}").content.decode()
    assert "协商9" in page and "桥楼社区" in page
    api = client_for(cast.street_a)
    with django_assert_max_num_queries(14):
        assert api.get("/api/negotiations/").status_code == 200


def test_a_partner_out_of_sight_is_refused_at_its_field(cast, tree, orgs, outsider, client_for):
    negotiation = services.start_negotiation(
        actor=cast.worker, area=tree.community_a, party_org=orgs[1], subject="x"
    )
    hidden = Partner.objects.create(name="外街道单位", kind="enterprise", area=tree.community_b)
    with pytest.raises(Exception) as refused:
        services.add_party(actor=cast.worker, negotiation=negotiation, kind="unit", partner=hidden)
    assert "partner" in refused.value.message_dict
    assert not NegotiationParty.objects.exists()


def test_a_person_named_as_a_party_finds_it_and_a_deletion_pseudonymises_it(cast, tree, orgs, client_for):
    from grassroots.privacy.services import submit_request
    from grassroots.workflow.services import transition

    person = make_user(
        "wang_da", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, full_name="王大爷"
    )
    negotiation = services.start_negotiation(
        actor=cast.worker,
        area=tree.courtyard_a,
        party_org=orgs[1],
        subject="停车位争议",
        parties=[
            {"kind": "residents", "name": "王大爷", "role": "3栋业主代表"},
            {"kind": "other", "name": "物业"},
        ],
    )
    page = client_for(person).get("/privacy/mine/").content.decode()
    assert "矛盾协商参与方" in page and "3栋业主代表" in page
    record = submit_request(user=person, kind="deletion", details="不再使用")
    transition(record, "complete", actor=cast.admin, comment="已处理")
    names = set(negotiation.parties.values_list("name", flat=True))
    assert "王大爷" not in names and "物业" in names
    assert negotiation.parties.get(role="3栋业主代表").name.startswith("已注销用户")


def test_the_export_holds_the_areas_negotiations_and_none_of_another_street(
    client_for, cast, tree, orgs, outsider
):
    from tests.imports.helpers import read_xlsx

    for actor, area, org, subject in (
        (cast.worker, tree.courtyard_a, orgs[1], "=停车位分配"),
        (outsider, tree.community_b, orgs[2], "育才噪音协商"),
    ):
        services.start_negotiation(
            actor=actor,
            area=area,
            party_org=org,
            subject=subject,
            parties=[{"kind": "residents", "name": "甲"}],
        )
    client = client_for(cast.street_a)
    page = client.get("/selfgov/negotiations/").content.decode()
    assert 'data-export="selfgov-negotiations"' in page
    url = reverse("imports:list_export", args=["selfgov-negotiations"])
    rows = read_xlsx(b"".join(client.post(url).streaming_content))["矛盾协商"]
    assert rows[0] == ["协商事项", "状态", "区域", "牵头党组织", "发起日期", "来自事项"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [("=停车位分配", "一号院落", "桥楼社区党委")]
    theirs = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["矛盾协商"]
    assert [r[0] for r in theirs[1:]] == ["育才噪音协商"]
    assert client.post(url + f"?area={tree.street_b.pk}").status_code == 404
    assert read_xlsx(b"".join(client.post(url + "?state=agreed").streaming_content))["矛盾协商"][1:] == []
