"""The dispute platform's services on the real database: one number for life, the whole path community →
street → county settled with a complete timeline, a referral between kinds, closing with advice, who sees a
case (a party only their own; a mediator of another street nothing), the time limits and the clock's
reminders (clock pinned), the negotiation's handover."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.lawgov import selectors_disputes as selectors
from grassroots.lawgov import services_disputes as services
from grassroots.lawgov.models_disputes import Dispute, DisputeState
from grassroots.workflow.models import Notification
from tests.concurrency import race, server_db_only
from tests.factories import make_user
from tests.lawgov.conftest import verified


def _session(actor, dispute, when=None):
    return services.record_session(
        actor=actor,
        dispute=dispute,
        held_at=when or timezone.now(),
        place="桥楼社区调解室",
        mediator_names=actor.full_name or actor.username,
        record="双方陈述了意见。",
    )


def test_one_number_per_year_in_order(cast, tree, today):
    first = services.file_dispute(
        actor=cast.worker,
        area=tree.grid_a,
        title="劳务费纠纷",
        category="labour",
        description="拖欠劳务费。",
        channel="station",
        parties=[{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "某公司"}],
    )
    second = services.file_dispute(
        actor=cast.worker,
        area=tree.grid_a,
        title="合同纠纷",
        category="contract",
        description="装修合同。",
        channel="grid",
        parties=[{"role": "applicant", "name": "李四"}],
    )
    assert (first.number, second.number) == (f"纠纷-{today.year}-0001", f"纠纷-{today.year}-0002")
    assert first.due_on == today + timedelta(days=30)  # people's mediation: 30 days by default


def test_the_whole_path_community_street_county_settled(
    cast, tree, mediators, dispute, today, time_machine, django_capture_on_commit_callbacks
):
    number = dispute.number
    assert dispute.level == 4 and dispute.handler == tree.community_a and dispute.kind == "peoples"
    # the community's people's mediation committee tries first
    _session(mediators.community, dispute)
    services.start_mediation(actor=mediators.community, dispute=dispute)
    services.escalate(actor=mediators.community, dispute=dispute, reason="双方分歧较大，社区调解未果")
    dispute.refresh_from_db()
    assert (dispute.level, dispute.handler, dispute.state) == (3, tree.street_a, DisputeState.RECEIVED)
    # escalated: the community's mediator is no longer the one to act
    with pytest.raises(PermissionDenied):
        _session(mediators.community, dispute)
    time_machine.move_to(timezone.now() + timedelta(days=5))
    _session(mediators.street, dispute)
    services.start_mediation(actor=mediators.street, dispute=dispute)
    services.escalate(actor=mediators.street, dispute=dispute, reason="涉及多户，需县级协调")
    dispute.refresh_from_db()
    assert (dispute.level, dispute.handler) == (2, tree.county)
    assert dispute.due_on == timezone.localdate() + timedelta(days=30)  # a fresh time limit at the new level
    _session(mediators.county, dispute)
    services.start_mediation(actor=mediators.county, dispute=dispute)
    with pytest.raises(ValidationError):  # there is no level above the county
        services.escalate(actor=mediators.county, dispute=dispute, reason="再上移")
    with django_capture_on_commit_callbacks(execute=True):  # the party is told (on commit)
        services.settle(actor=mediators.county, dispute=dispute, text="王五负责维修并赔偿2000元。")
    dispute.refresh_from_db()
    assert dispute.number == number and dispute.state == DisputeState.SETTLED
    assert Dispute.objects.count() == 1
    stages = list(dispute.stages.values_list("level", "outcome", "reason"))
    assert stages == [
        (4, "escalated", "双方分歧较大，社区调解未果"),
        (3, "escalated", "涉及多户，需县级协调"),
        (2, "settled", ""),
    ]
    timeline = selectors.timeline(dispute)
    labels = [entry.label for entry in timeline]
    assert labels[0] == "受理纠纷"
    assert labels.count("上移下一级") == 2 and labels[-1] == "调解成功"
    assert sum(1 for entry in timeline if entry.kind == "session") == 3
    assert Notification.objects.filter(
        recipient=cast.resident, verb__contains=f"{number} 已调解成功"
    ).exists()


def test_a_referral_between_kinds_keeps_the_case(cast, tree, mediators, dispute, today):
    services.refer(
        actor=mediators.community, dispute=dispute, kind="administrative", reason="涉及行政管理事项"
    )
    dispute.refresh_from_db()
    assert (dispute.kind, dispute.level, dispute.state) == ("administrative", 4, DisputeState.RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.refer(actor=mediators.community, dispute=dispute, kind="administrative", reason="再转")
    assert "kind" in refused.value.message_dict
    with pytest.raises(ValidationError):  # a referral needs its reason
        services.refer(actor=mediators.community, dispute=dispute, kind="judicial", reason="")
    assert list(dispute.stages.values_list("kind", "outcome")) == [
        ("peoples", "referred"),
        ("administrative", ""),
    ]


def test_closed_with_advice_to_litigate(cast, mediators, dispute):
    with pytest.raises(ValidationError) as refused:
        services.close(actor=mediators.community, dispute=dispute, advice="", reason="对方拒绝调解")
    assert "advice" in refused.value.message_dict
    services.close(actor=mediators.community, dispute=dispute, advice="litigation", reason="对方拒绝调解")
    dispute.refresh_from_db()
    assert (dispute.state, dispute.advice, dispute.close_reason) == ("closed", "litigation", "对方拒绝调解")


def test_who_sees_a_case(cast, tree, mediators, dispute):
    neighbour = verified(make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a))
    theirs = services.file_dispute(
        actor=neighbour,
        area=tree.courtyard_a,
        title="噪音纠纷",
        category="neighbours",
        description="夜间噪音。",
        channel="online",
    )
    assert list(selectors.visible_disputes(cast.resident)) == [dispute]  # the party: their own case
    assert list(selectors.visible_disputes(neighbour)) == [theirs]  # same courtyard, not a party of the other
    assert set(selectors.visible_disputes(mediators.street)) == {dispute, theirs}
    assert not selectors.visible_disputes(mediators.other_street).exists()
    assert not selectors.visible_disputes(cast.street_b).exists()
    assert selectors.visible_disputes(cast.city).exists()


def test_a_resident_files_only_in_their_community(cast, tree):
    with pytest.raises(PermissionDenied):  # online only once real-name verified
        services.file_dispute(
            actor=cast.resident,
            area=tree.courtyard_a,
            title="x",
            category="other",
            description="y",
            channel="online",
        )
    verified(cast.resident)
    with pytest.raises(ValidationError) as refused:
        services.file_dispute(
            actor=cast.resident,
            area=tree.community_b,
            title="x",
            category="other",
            description="y",
            channel="online",
        )
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # a resident does not record for others
        services.file_dispute(
            actor=cast.resident,
            area=tree.courtyard_a,
            title="x",
            category="other",
            description="y",
            channel="grid",
            parties=[{"name": "甲"}],
        )
    assert "area" in refused.value.message_dict


def test_at_risk_takes_the_fast_path_and_alerts_the_street(
    cast, tree, mediators, today, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.file_dispute(
            actor=cast.worker,
            area=tree.grid_a,
            title="土地边界冲突",
            category="land_housing",
            description="双方发生推搡。",
            channel="grid",
            at_risk=True,
            parties=[{"role": "applicant", "name": "赵六"}, {"role": "respondent", "name": "钱七"}],
        )
    assert dispute.urgency == "urgent"
    assert dispute.due_on == today + timedelta(days=settings.LAWGOV_AT_RISK_DAYS)
    alerted = set(Notification.objects.filter(verb__contains="可能激化").values_list("recipient", flat=True))
    assert {mediators.street.pk, cast.street_a.pk} <= alerted
    assert cast.street_b.pk not in alerted and mediators.other_street.pk not in alerted


def test_time_limits_overdue_and_reminders(
    cast, tree, mediators, dispute, today, time_machine, settings, django_capture_on_commit_callbacks
):
    settings.LAWGOV_TIME_LIMITS = {**settings.LAWGOV_TIME_LIMITS, "administrative": 60}
    assert dispute.due_on == today + timedelta(days=30)
    assert services.remind_due(today=today) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_due(today=today + timedelta(days=27)) == 1  # three days before
    assert services.remind_due(today=today + timedelta(days=28)) == 0  # once per stage
    assert Notification.objects.filter(recipient=mediators.community, verb__contains="届满").exists()
    assert not dispute.is_overdue(today + timedelta(days=30))
    assert dispute.is_overdue(today + timedelta(days=31))
    overdue = selectors.overdue(mediators.street, today=today + timedelta(days=31))
    assert list(overdue) == [dispute]
    assert not selectors.overdue(mediators.street, today=today + timedelta(days=30)).exists()
    # a referral starts the new kind's own time limit, and a new reminder
    time_machine.move_to(timezone.now() + timedelta(days=31))
    services.refer(actor=mediators.community, dispute=dispute, kind="administrative", reason="转行政调解")
    dispute.refresh_from_db()
    assert dispute.due_on == timezone.localdate() + timedelta(days=60)
    assert not selectors.overdue(mediators.street, today=timezone.localdate()).exists()


def test_the_follow_up_visit(cast, mediators, dispute, today, settings):
    _session(mediators.community, dispute)
    services.start_mediation(actor=mediators.community, dispute=dispute)
    services.settle(actor=mediators.community, dispute=dispute, text="协议内容")
    dispute.refresh_from_db()
    assert dispute.visit_due_on == today + timedelta(days=settings.LAWGOV_VISIT_AFTER_DAYS)
    assert services.remind_due(today=dispute.visit_due_on) == 1
    with pytest.raises(ValidationError):
        services.visit(actor=mediators.community, dispute=dispute, note="", carried_out=True)
    services.visit(actor=mediators.community, dispute=dispute, note="已维修完毕", carried_out=True)
    dispute.refresh_from_db()
    assert (dispute.state, dispute.carried_out) == ("visited", True)
    services.confirm_judicially(actor=mediators.community, dispute=dispute, on=today, court="雨城区人民法院")


def test_a_negotiation_handed_over_becomes_a_case(cast, tree):
    from grassroots.selfgov.services import negotiations
    from tests.factories import make_party_org

    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    negotiation = negotiations.start_negotiation(
        actor=cast.worker,
        area=tree.courtyard_a,
        party_org=org,
        subject="院落停车位分配",
        parties=[{"kind": "residents", "name": "3栋业主代表"}],
    )
    negotiations.take_step(actor=cast.worker, negotiation=negotiation, name="fail", comment="各方意见分歧")
    negotiations.take_step(actor=cast.worker, negotiation=negotiation, name="hand_over", comment="需人民调解")
    dispute = Dispute.objects.get(negotiation=negotiation)
    assert (dispute.channel, dispute.title, dispute.area) == (
        "negotiation",
        "院落停车位分配",
        tree.courtyard_a,
    )
    assert "需人民调解" in dispute.description
    assert list(dispute.parties.values_list("name", flat=True)) == ["3栋业主代表"]


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_numbers_do_not_collide_under_concurrent_filings(tree):
    worker = make_user("w", Role.COMMUNITY_WORKER, tree.community_a)

    def file(i):
        services.file_dispute(
            actor=worker,
            area=tree.community_a,
            title=f"纠纷{i}",
            category="other",
            description="同时登记",
            channel="station",
            parties=[{"name": f"当事人{i}"}],
        )

    assert race(file, range(4)) == ["ok"] * 4
    assert len(set(Dispute.objects.values_list("number", flat=True))) == 4


def test_pages_a_party_sees_their_case_and_an_outsider_gets_404(
    client_for, cast, tree, mediators, dispute, django_assert_max_num_queries
):
    url = f"/lawgov/disputes/{dispute.pk}/"
    resident = client_for(cast.resident)
    page = resident.get(url)
    assert page.status_code == 200 and "楼上漏水纠纷" in page.content.decode()
    # the other party's phone is masked for a party; the mediator reads it in full
    assert "13800001111" not in page.content.decode() and "138****1111" in page.content.decode()
    assert "13800001111" in client_for(mediators.community).get(url).content.decode()
    assert client_for(mediators.other_street).get(url).status_code == 404
    assert client_for(cast.street_b).get(url).status_code == 404
    neighbour = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    assert client_for(neighbour).get(url).status_code == 404
    mine = resident.get("/lawgov/disputes/mine/").content.decode()
    assert dispute.number in mine
    for document in ("application", "record"):
        assert resident.get(f"{url}documents/{document}/").status_code == 200
    assert resident.get(f"{url}documents/agreement/").status_code == 404  # not settled yet
    street = client_for(mediators.street)
    with django_assert_max_num_queries(20):
        assert street.get("/lawgov/disputes/caseload/").status_code == 200


def test_every_view_of_the_agreement_file_is_audited(
    client_for, cast, mediators, dispute, settings, tmp_path
):
    from auditlog.models import LogEntry
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _session(mediators.community, dispute)
    services.start_mediation(actor=mediators.community, dispute=dispute)
    services.settle(
        actor=mediators.community,
        dispute=dispute,
        text="协议内容",
        file=SimpleUploadedFile("协议.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    url = f"/lawgov/disputes/{dispute.pk}/agreement-file/"
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    assert client_for(cast.resident).get(url).status_code == 200
    assert client_for(mediators.community).get(url).status_code == 200
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")
    assert entries.count() == before + 2
    assert {e.actor for e in entries[before:]} == {cast.resident, mediators.community}
    assert client_for(mediators.other_street).get(url).status_code == 404
    assert entries.count() == before + 2


def test_every_view_of_a_case_file_is_audited(client_for, api_for, cast, mediators, dispute):
    """Issue 16: every read that returns the case file writes one 查看 entry about the case, with the reader
    as actor: the case page, the API's case read and list, the mediation records (list and one), the
    printable documents — a party's reads too; the entries are in the case's area and on the hash chain.
    A reader outside gets 404 (or an empty list) and writes none; the caseload list is no case file."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from grassroots.audit import chain

    session = _session(mediators.community, dispute)
    about = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(type(dispute)),
        object_pk=str(dispute.pk),
    )
    base = f"/lawgov/disputes/{dispute.pk}/"
    reads = [
        (client_for(cast.resident), base, cast.resident),
        (client_for(mediators.community), base, mediators.community),
        (api_for(mediators.community), f"/api/disputes/{dispute.pk}/", mediators.community),
        (api_for(cast.resident), "/api/disputes/", cast.resident),
        (api_for(mediators.street), "/api/mediation-sessions/", mediators.street),
        (api_for(mediators.street), f"/api/mediation-sessions/{session.pk}/", mediators.street),
        (client_for(cast.resident), f"{base}documents/application/", cast.resident),
        (client_for(cast.resident), f"{base}documents/record/", cast.resident),
        (client_for(mediators.community), f"{base}documents/record/", mediators.community),
    ]
    for reader, url, actor in reads:
        before = about.count()
        assert reader.get(url).status_code == 200, url
        assert about.count() == before + 1, url
        entry = about.latest("pk")
        assert (entry.actor, entry.audit_scope.area_path) == (actor, dispute.area.path), url
    total = about.count()
    other = api_for(mediators.other_street)
    assert client_for(mediators.other_street).get(base).status_code == 404
    assert client_for(mediators.other_street).get(f"{base}documents/record/").status_code == 404
    assert other.get(f"/api/disputes/{dispute.pk}/").status_code == 404
    assert other.get("/api/disputes/").json()["count"] == 0
    assert other.get("/api/mediation-sessions/").json()["count"] == 0
    assert client_for(mediators.street).get("/lawgov/disputes/caseload/").status_code == 200
    assert about.count() == total
    assert chain.verify().ok


def test_api_lists_audit_each_case_in_constant_queries(
    api_for, cast, tree, mediators, dispute, django_assert_max_num_queries
):
    """The API lists write one 查看 entry per case on the page, in bulk: the same queries for 2 cases as
    for 5 (and for the sessions of 2 cases as of 5)."""
    from auditlog.models import LogEntry

    from grassroots.audit import chain

    street = api_for(mediators.street)
    _session(mediators.community, dispute)

    def more(count):
        for n in range(count):
            case = services.file_dispute(
                actor=cast.resident,
                area=tree.courtyard_a,
                title=f"纠纷{n}",
                category="neighbours",
                description="经过",
                channel="online",
                parties=[{"role": "respondent", "name": "邻居", "phone": "13800001111"}],
            )
            _session(mediators.community, case)

    def reads(url):
        accessed = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
        before = accessed.count()
        answer = street.get(url)
        assert answer.status_code == 200
        return answer.json()["count"], accessed.count() - before

    more(1)
    street.get("/api/disputes/")  # warm the content type cache
    with django_assert_max_num_queries(24) as two:
        assert reads("/api/disputes/") == (2, 2)
    with django_assert_max_num_queries(24) as two_sessions:
        assert reads("/api/mediation-sessions/") == (2, 2)
    more(3)
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert reads("/api/disputes/") == (5, 5)
    with django_assert_max_num_queries(len(two_sessions.captured_queries)):
        assert reads("/api/mediation-sessions/") == (5, 5)
    assert chain.verify().ok


def test_the_caseload_page_has_the_same_queries_for_2_cases_as_for_8(
    client_for, cast, tree, mediators, today, time_machine, django_assert_max_num_queries
):
    """The caseload with cases of several levels (community and street), several mediators assigned, at-risk
    and overdue ones, read by a street official and by a street mediator: the same bound for 2 cases as for
    8 (ten: eight today), so that a query per row fails."""
    second = make_user("med_community_2", Role.MEDIATOR, tree.community_a)
    made = iter(range(100))

    def cases(count):
        for _ in range(count):
            n = next(made)
            case = services.file_dispute(
                actor=cast.worker,
                area=tree.grid_a if n % 2 else tree.courtyard_a,
                title=f"纠纷{n}",
                category=("neighbours", "family", "labour")[n % 3],
                description="经过",
                channel="station",
                at_risk=n % 3 == 0,
                parties=[{"role": "applicant", "name": f"申请人{n}"}, {"role": "respondent", "name": "邻居"}],
            )
            services.assign_mediators(
                actor=mediators.community, dispute=case, users=[mediators.community, second][: 1 + n % 2]
            )
            _session(mediators.community, case)
            if n % 2:  # escalated to the street, with its mediator
                services.escalate(actor=mediators.community, dispute=case, reason="社区调解未果")
                case.refresh_from_db()
                services.assign_mediators(actor=mediators.street, dispute=case, users=[mediators.street])

    def read(count):
        for reader in (cast.street_a, mediators.street):
            client = client_for(reader)
            client.get("/lawgov/disputes/caseload/")  # warm the caches (content types, menus)
            with django_assert_max_num_queries(10, info=f"{count} cases for {reader}"):
                page = client.get("/lawgov/disputes/caseload/")
            assert page.status_code == 200
            assert page.content.decode().count('class="fw-semibold"') >= count  # each case (and the overdue)

    cases(1)
    time_machine.move_to(timezone.now() + timedelta(days=20))
    cases(1)
    time_machine.move_to(timezone.now() + timedelta(days=15))  # the first is overdue now
    read(2)
    cases(6)
    time_machine.move_to(timezone.now() + timedelta(days=31))  # all overdue: both lists full
    read(8)
