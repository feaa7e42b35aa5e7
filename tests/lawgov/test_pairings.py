"""双报到 and 结对子: a court's Party organization registers with a community (the members' dual registration
on the one organization register), the community confirms, the court pairs with the community's Party
organization and a cadre with a household; commitments and service records; ending. Scoping with the fixed
cast (owner, member, outsider: another street's official gets 404 and cannot write), refusals at the field
in Chinese, query counts on the lists, the API's steps."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.cogov.models import Partner
from grassroots.core.members.services import registration as registrations
from grassroots.lawgov import services_pairings as services
from grassroots.lawgov.models_pairings import Pairing, PairingService
from grassroots.voting.models import Household
from tests.factories import make_party_org, make_user

BEIJING = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2027, 3, 10, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def court(time_machine, cast, tree):
    """The county court (a partner with its Party organization), registered with 桥楼社区 and confirmed."""
    time_machine.move_to(MOMENT, tick=False)
    secretary = make_user("court_secretary", Role.MEMBER, tree.county)
    org = make_party_org("雨城区人民法院党组", tree.county, kind="committee")
    org.secretary = secretary
    org.save()
    partner = Partner.objects.create(
        name="雨城区人民法院", kind="government", area=tree.county, party_org=org
    )
    rep = make_user("court_rep", Role.PARTNER_REP, tree.county)
    partner.representatives.add(rep)
    registration = services.register_unit(actor=secretary, partner=partner, community=tree.community_a)
    registrations.confirm(actor=cast.worker, registration=registration)
    community_org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    cadre = make_user("judge_li", Role.MEMBER, tree.county, full_name="李法官")
    household = Household.objects.create(area=tree.courtyard_a, name="1栋101")
    return SimpleNamespace(
        partner=partner, rep=rep, secretary=secretary, org=community_org, cadre=cadre, household=household
    )


def _org_pairing(cast, tree, court):
    return services.create_pairing(
        actor=cast.worker,
        kind="org",
        community=tree.community_a,
        partner=court.partner,
        department="court",
        started_on=date(2027, 3, 1),
        community_org=court.org,
        commitments="每季度开展一次法治讲座\n参与重大矛盾纠纷化解",
    )


def _cadre_pairing(cast, tree, court):
    return services.create_pairing(
        actor=cast.worker,
        kind="cadre",
        community=tree.community_a,
        partner=court.partner,
        department="court",
        started_on=date(2027, 3, 1),
        cadre=court.cadre,
        household=court.household,
        commitments=["每月走访一次"],
    )


def test_the_unit_registers_through_the_members_dual_registration(court):
    registration = court.partner.party_org.registrations.get()
    assert registration.state == "confirmed" and registration.community.name == "桥楼社区"


def test_a_unit_without_its_party_org_cannot_register(court, tree, cast):
    bare = Partner.objects.create(name="某单位", kind="other", area=tree.county)
    with pytest.raises(services.ValidationError) as refused:
        services.register_unit(actor=cast.city, partner=bare, community=tree.community_a)
    assert "单位党组织" in refused.value.message_dict["partner"][0]


def test_an_org_pairing_needs_a_confirmed_registration_and_a_community_org(court, cast, tree):
    other = Partner.objects.create(
        name="雨城区检察院",
        kind="government",
        area=tree.county,
        party_org=make_party_org("检察院党组", tree.county),
    )
    with pytest.raises(services.ValidationError) as refused:
        services.create_pairing(
            actor=cast.worker,
            kind="org",
            community=tree.community_a,
            partner=other,
            department="procuratorate",
            started_on=date(2027, 3, 1),
        )
    errors = refused.value.message_dict
    assert errors["partner"] == ["该单位党组织尚未到这个社区报到（或报到尚未确认）。"]
    assert errors["community_org"] == ["单位结对须选择社区党组织。"]
    assert not Pairing.objects.exists()


def test_pairing_commitments_services_and_end(court, cast, tree):
    pairing = _org_pairing(cast, tree, court)
    assert [c.text for c in pairing.commitments.all()] == ["每季度开展一次法治讲座", "参与重大矛盾纠纷化解"]
    services.add_commitment(actor=court.rep, pairing=pairing, text="提供法律咨询")
    record = services.record_service(
        actor=court.rep,
        pairing=pairing,
        done_on=date(2027, 3, 8),
        content="法治讲座：民法典婚姻家庭编",
        hours="2",
    )
    assert record.hours == 2
    with pytest.raises(services.ValidationError) as refused:
        services.record_service(
            actor=court.rep, pairing=pairing, done_on=date(2027, 3, 11), content="", hours=0
        )
    errors = refused.value.message_dict
    assert errors["done_on"] == ["服务日期不能晚于今天。"]
    assert errors["hours"] == ["服务时长应大于 0 且不超过 24 小时。"]
    assert errors["content"] == ["请填写服务内容。"]
    with pytest.raises(services.PermissionDenied):
        services.end_pairing(actor=court.rep, pairing=pairing, reason="到期")
    with pytest.raises(services.ValidationError) as refused:
        services.end_pairing(actor=cast.worker, pairing=pairing, reason=" ")
    assert refused.value.message_dict["reason"] == ["请填写结束原因。"]
    services.end_pairing(actor=cast.worker, pairing=pairing, reason="结对期满")
    pairing.refresh_from_db()
    assert pairing.state == "ended" and pairing.ended_on == date(2027, 3, 10)
    with pytest.raises(services.ValidationError):
        services.add_commitment(actor=cast.worker, pairing=pairing, text="再加一项")


def test_scoping_owner_member_outsider(court, cast, tree, client):
    pairing = _cadre_pairing(cast, tree, court)
    url = reverse("lawgov:pairing_detail", args=[pairing.pk])
    for user in (cast.worker, cast.secretary, cast.street_a, court.rep, court.cadre):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200 and "每月走访一次" in page.text, user
    stranger = make_user("judge_wang", Role.MEMBER, tree.county)
    for outsider in (cast.street_b, cast.resident, stranger):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        answer = client.post(
            reverse("lawgov:pairing_step", args=[pairing.pk, "service"]),
            {"done_on": "2027-03-09", "content": "越权记录", "hours": "1"},
        )
        assert answer.status_code == 404
        assert pairing.pk not in [p.pk for p in client.get(reverse("lawgov:pairing_list")).context["page"]]
    assert not PairingService.objects.exists()


def test_the_cadre_records_a_service_on_the_page(court, cast, tree, client):
    pairing = _cadre_pairing(cast, tree, court)
    client.force_login(court.cadre)
    listing = client.get(reverse("lawgov:pairing_list"))
    assert "1栋101" in listing.text
    step = reverse("lawgov:pairing_step", args=[pairing.pk, "service"])
    bad = client.post(step, {"done_on": "2027-02-01", "content": "走访", "hours": "1"})
    assert bad.status_code == 400 and "服务日期不能早于结对日期。" in bad.text
    done = client.post(
        step, {"done_on": "2027-03-09", "content": "入户走访，讲解赡养纠纷的法律规定", "hours": "1.5"}
    )
    assert done.status_code == 302
    assert "入户走访" in client.get(done.url).text
    # the cadre may not end it
    assert (
        client.post(reverse("lawgov:pairing_step", args=[pairing.pk, "end"]), {"reason": "x"}).status_code
        == 400
    )
    assert Pairing.objects.get(pk=pairing.pk).state == "active"


def test_the_pairing_form_refuses_at_the_field(court, cast, tree, client):
    client.force_login(cast.worker)
    answer = client.post(
        reverse("lawgov:pairing_new"),
        {
            "kind": "cadre",
            "community": tree.community_a.pk,
            "partner": court.partner.pk,
            "department": "court",
            "cadre": "nobody",
            "started_on": "2027-03-01",
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["cadre"] == ["找不到该账号。"]
    answer = client.post(
        reverse("lawgov:pairing_new"),
        {
            "kind": "cadre",
            "community": tree.community_a.pk,
            "partner": court.partner.pk,
            "department": "court",
            "cadre": "judge_li",
            "started_on": "2027-03-01",
            "commitments": "每月走访一次",
        },
    )
    assert answer.context["form"].errors["member"] == ["请选择结对的党员或家庭。"]
    answer = client.post(
        reverse("lawgov:pairing_new"),
        {
            "kind": "cadre",
            "community": tree.community_a.pk,
            "partner": court.partner.pk,
            "department": "court",
            "cadre": "judge_li",
            "household": court.household.pk,
            "started_on": "2027-03-01",
            "commitments": "每月走访一次",
        },
    )
    assert answer.status_code == 302
    client.force_login(cast.street_b)
    choices = client.get(reverse("lawgov:pairing_new")).context["form"].fields["community"].queryset
    assert list(choices) == [tree.community_b]


def test_the_register_page(court, tree, client):
    client.force_login(court.secretary)
    answer = client.post(
        reverse("lawgov:unit_register"), {"partner": court.partner.pk, "community": tree.community_a.pk}
    )
    assert answer.status_code == 200 and "该党组织已在这个社区报到或正在等待确认。" in answer.text


def test_list_query_counts(court, cast, tree, client, django_assert_max_num_queries):
    for _ in range(3):
        _org_pairing(cast, tree, court)
        _cadre_pairing(cast, tree, court)
    client.force_login(cast.street_a)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("lawgov:pairing_list"))
    assert len(page.context["page"]) == 6


def test_api_every_step_and_outsider(court, cast, tree, api_for, django_assert_max_num_queries):
    api = api_for(cast.worker)
    created = api.post(
        "/api/pairings/",
        {
            "kind": "org",
            "community": tree.community_a.pk,
            "partner": court.partner.pk,
            "department": "court",
            "started_on": "2027-03-01",
            "community_org": court.org.pk,
            "commitments": ["每季度一次法治讲座"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["commitments"][0]["text"] == "每季度一次法治讲座"
    assert api.post(f"/api/pairings/{pk}/commitments/", {"text": "普法宣传"}).status_code == 201
    rep = api_for(court.rep)
    served = rep.post(
        f"/api/pairings/{pk}/services/", {"done_on": "2027-03-09", "content": "普法宣传", "hours": "3"}
    )
    assert served.status_code == 201 and served.json()["services"][0]["hours"] == "3.0"
    bad = rep.post(f"/api/pairings/{pk}/services/", {"done_on": "2027-03-09", "content": "x", "hours": "30"})
    assert bad.status_code == 400 and "24" in str(bad.json())
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/pairings/{pk}/").status_code == 404
    assert outsider.post(f"/api/pairings/{pk}/end/", {"reason": "越权"}).status_code == 404
    assert outsider.get("/api/pairings/").json()["count"] == 0
    ended = api.post(f"/api/pairings/{pk}/end/", {"reason": "期满"})
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    for _ in range(3):
        _cadre_pairing(cast, tree, court)
    with django_assert_max_num_queries(12):
        listing = api_for(cast.street_a).get("/api/pairings/")
    assert listing.json()["count"] == 4
    again = api_for(court.secretary).post(
        "/api/pairings/register/", {"partner": court.partner.pk, "community": tree.community_a.pk}
    )
    assert again.status_code == 400


def test_another_streets_official_cannot_register_a_unit(court, cast, tree, api_for):
    inside = Partner.objects.create(
        name="桥楼派出所",
        kind="government",
        area=tree.community_a,
        party_org=make_party_org("桥楼派出所党支部", tree.community_a),
    )
    api = api_for(cast.street_b)
    refused = api.post("/api/pairings/register/", {"partner": inside.pk, "community": tree.community_b.pk})
    assert refused.status_code == 400 and "partner" in refused.json()["errors"]
    # the county court is seen from below, but its Party organization is not theirs to register
    refused = api.post(
        "/api/pairings/register/", {"partner": court.partner.pk, "community": tree.community_b.pk}
    )
    assert refused.status_code == 403
    assert not court.partner.party_org.registrations.filter(community=tree.community_b).exists()


def test_a_cadres_pairings_are_their_data_and_a_deletion_unlinks_them(court, cast, tree, client):
    from grassroots.privacy.registry import entries

    pairing = _cadre_pairing(cast, tree, court)
    client.force_login(court.cadre)
    page = client.get("/privacy/mine/").text
    assert "结对帮扶" in page and "雨城区人民法院" in page
    entry = next(e for e in entries() if e.key == "lawgov.pairing")
    entry.erase(court.cadre, placeholder="（已删除）")
    pairing.refresh_from_db()
    assert pairing.cadre is None and pairing.partner == court.partner


def test_the_export_holds_the_lists_pairings_and_nothing_of_another_street(court, cast, tree, client):
    from tests.imports.helpers import read_xlsx

    _cadre_pairing(cast, tree, court)
    other_org = make_party_org("育才社区党委", tree.community_b, kind="committee")
    Pairing.objects.create(
        kind="org",
        community=tree.community_b,
        partner=court.partner,
        department="court",
        community_org=other_org,
        started_on=date(2027, 3, 2),
        created_by=cast.street_b,
    )
    client.force_login(cast.street_a)
    assert 'data-export="lawgov-pairings"' in client.get(reverse("lawgov:pairing_list")).text
    response = client.post(reverse("imports:list_export", args=["lawgov-pairings"]) + "?kind=cadre")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["双报到结对"]
    assert rows[0][:3] == ["结对单位", "结对干部", "结对对象"]
    assert [r[:3] for r in rows[1:]] == [["雨城区人民法院", "judge_li", "1栋101"]]  # named as on the page
    assert all("育才社区" not in str(cell) for row in rows for cell in row)  # another street's pairing
    client.force_login(cast.street_b)
    theirs = client.post(reverse("imports:list_export", args=["lawgov-pairings"]))
    rows = read_xlsx(b"".join(theirs.streaming_content))["双报到结对"]
    assert [r[5] for r in rows[1:]] == ["育才社区"]
