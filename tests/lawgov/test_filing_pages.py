"""Filing a dispute through the pages, as the test client posts them: a verified resident from 我的纠纷 (an
unverified one reads why and is refused), a grid worker for a resident of their grid (from a visit of their
log), a legal worker at the station; the judicial confirmation on a settled case's page; the consultation form
picking the resident by search and the session. Refusals at the field in Chinese (400, nothing written); the
fixed cast — owner, member, outsider — with another area's user getting 404 or a refusal at the field."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.lawgov import services_disputes as disputes
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.models_disputes import Dispute
from grassroots.lawgov.models_stations import Consultation
from tests.factories import make_user
from tests.homes import open_home
from tests.lawgov.conftest import verified

BEIJING = ZoneInfo("Asia/Shanghai")
NEW = reverse("lawgov:dispute_new")
INTAKE = reverse("lawgov:dispute_intake")


def _body(area, **more):
    return {
        "area": area.pk,
        "title": "楼道堆物纠纷",
        "category": "neighbours",
        "description": "邻居长期在楼道堆放杂物，影响通行。",
        "request": "清理杂物",
        "urgency": "normal",
        **more,
    }


# --- a resident online ---------------------------------------------------------------------------------
def test_a_verified_resident_files_on_the_phone_and_lands_on_the_case(client_for, cast, tree, today):
    resident = client_for(verified(cast.resident))
    mine = resident.get(reverse("lawgov:my_disputes")).content.decode()
    assert f'href="{NEW}"' in mine
    page = resident.get(NEW)
    assert page.status_code == 200 and 'name="respondent_name"' in page.content.decode()
    assert 'name="applicant_name"' not in page.content.decode()  # online the resident is the applicant

    empty = resident.post(NEW, {"urgency": "normal"})
    html = empty.content.decode()
    assert empty.status_code == 400 and not Dispute.objects.exists()
    for message in ("请选择纠纷发生地。", "请填写纠纷事由。", "请选择纠纷类别。", "请填写纠纷经过。"):
        assert message in html
    assert 'id="id_title_error"' in html  # at the field

    filed = resident.post(
        NEW, _body(tree.courtyard_a, at_risk="on", respondent_name="赵六", respondent_phone="13700002222")
    )
    dispute = Dispute.objects.get()
    assert filed.status_code == 302 and filed["Location"] == dispute.get_absolute_url()
    assert (dispute.channel, dispute.at_risk, dispute.urgency) == ("online", True, "urgent")
    assert dispute.number == f"纠纷-{today.year}-0001"
    parties = {(p.role, p.name, p.user_id) for p in dispute.parties.all()}
    assert parties == {("applicant", "resident", cast.resident.pk), ("respondent", "赵六", None)}
    assert dispute.number in resident.get(reverse("lawgov:my_disputes")).content.decode()


def test_an_unverified_resident_reads_why_and_cannot_file(client_for, cast, tree):
    resident = client_for(cast.resident)
    assert f'href="{NEW}"' not in resident.get(reverse("lawgov:my_disputes")).content.decode()
    page = resident.get(NEW)
    assert (
        page.status_code == 200
        and "实名核验" in page.content.decode()
        and "<form method" not in (page.content.decode().split("<main", 1)[-1])
    )
    assert resident.post(NEW, _body(tree.courtyard_a)).status_code == 403
    assert not Dispute.objects.exists()


def test_a_resident_cannot_file_in_another_community(client_for, cast, tree):
    outsider = verified(make_user("res_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b))
    answer = client_for(outsider).post(NEW, _body(tree.courtyard_a))
    assert answer.status_code == 400 and "请选择纠纷发生地。" in answer.content.decode()
    assert not Dispute.objects.exists()


# --- a grid worker -------------------------------------------------------------------------------------
@pytest.fixture
def grid_worker(tree):
    return make_user("grid_a", Role.GRID_WORKER, tree.grid_a)


def test_a_grid_worker_files_for_a_resident_who_then_follows_it(client_for, cast, tree, grid_worker):
    worker = client_for(grid_worker)
    home = open_home(worker).content.decode()
    assert f'href="{INTAKE}"' in home  # the menu's 登记矛盾纠纷
    found = worker.get(reverse("lawgov:resident_options"), {"q": "resid"}).content.decode()
    assert f'<option value="{cast.resident.pk}">resident（一号院落）</option>' in found

    missing = worker.post(INTAKE, _body(tree.courtyard_a))
    assert missing.status_code == 400 and "请填写申请人姓名，或查找选定居民。" in missing.content.decode()
    filed = worker.post(INTAKE, _body(tree.courtyard_a, applicant=cast.resident.pk, respondent_name="钱七"))
    dispute = Dispute.objects.get()
    assert filed.status_code == 302 and filed["Location"] == dispute.get_absolute_url()
    assert (dispute.channel, dispute.filed_by) == ("grid", grid_worker)
    applicant = dispute.parties.get(role="applicant")
    assert (applicant.user, applicant.name) == (cast.resident, "resident")
    mine = client_for(cast.resident).get(reverse("lawgov:my_disputes")).content.decode()
    assert dispute.number in mine  # the resident follows the case filed for them


def test_another_areas_grid_worker_is_refused_at_the_fields(client_for, cast, tree):
    outsider = make_user("grid_b", Role.GRID_WORKER, tree.community_b)
    client = client_for(outsider)
    assert (
        client.get(reverse("lawgov:resident_options"), {"q": "resid"}).content.decode().count("<option") == 2
    )
    answer = client.post(INTAKE, _body(tree.courtyard_a, applicant=cast.resident.pk))
    html = answer.content.decode()
    assert (
        answer.status_code == 400 and "请选择纠纷发生地。" in html and "请在您负责的区域内查找居民。" in html
    )
    assert not Dispute.objects.exists()
    # a resident holds no intake: the page and the search are refused
    assert client_for(cast.resident).get(INTAKE).status_code == 403
    assert client_for(cast.resident).get(reverse("lawgov:resident_options")).status_code == 403


def test_a_visit_of_the_log_files_its_dispute_prefilled(client_for, cast, tree, grid_worker):
    from grassroots.gridwork import services as gridwork

    visit = gridwork.record_visit(
        actor=grid_worker,
        area=tree.courtyard_a,
        visited_on=timezone.localdate(),
        heard="楼上漏水到楼下，双方争吵。",
        resident=cast.resident,
    )
    worker = client_for(grid_worker)
    page = worker.get(reverse("gridwork:visit_detail", args=[visit.pk])).content.decode()
    assert f"{INTAKE}?visit={visit.pk}" in page
    form = worker.get(INTAKE, {"visit": visit.pk}).content.decode()
    assert "楼上漏水到楼下，双方争吵。" in form
    assert f'<option value="{cast.resident.pk}" selected>resident（一号院落）</option>' in form
    other = make_user("grid_a2", Role.GRID_WORKER, tree.grid_a)
    assert client_for(other).get(INTAKE, {"visit": visit.pk}).status_code == 404  # not their visit
    assert (
        f"{INTAKE}?visit="
        not in client_for(other).get(reverse("gridwork:visit_detail", args=[visit.pk])).content.decode()
    )


# --- at the station ------------------------------------------------------------------------------------
@pytest.fixture
def station(cast, tree):
    return stations.create_station(actor=cast.worker, area=tree.community_a, name="桥楼社区法律服务站")


def test_a_legal_worker_files_at_the_station_and_another_communitys_gets_404(client_for, cast, tree, station):
    legal = make_user("legal_a", Role.LEGAL_WORKER, tree.community_a)
    url = reverse("lawgov:station_dispute_new", args=[station.pk])
    client = client_for(legal)
    assert f'href="{url}"' in client.get(reverse("lawgov:station_detail", args=[station.pk])).content.decode()
    assert (
        f'href="{url}"'
        not in client_for(cast.resident)
        .get(reverse("lawgov:station_detail", args=[station.pk]))
        .content.decode()
    )
    filed = client.post(url, _body(tree.community_a, applicant_name="孙八", applicant_phone="13600003333"))
    dispute = Dispute.objects.get()
    assert filed.status_code == 302 and (dispute.channel, dispute.area) == ("station", tree.community_a)
    assert dispute.parties.get().name == "孙八"
    outsider = client_for(make_user("legal_b", Role.LEGAL_WORKER, tree.community_b))
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, _body(tree.community_a, applicant_name="x")).status_code == 404
    assert client_for(cast.resident).get(url).status_code == 404
    assert Dispute.objects.count() == 1


# --- judicial confirmation -----------------------------------------------------------------------------
def _settled(dispute, mediator):
    disputes.record_session(
        actor=mediator, dispute=dispute, held_at=timezone.now(), place="调解室", mediator_names="张调解"
    )
    disputes.start_mediation(actor=mediator, dispute=dispute)
    disputes.settle(actor=mediator, dispute=dispute, text="赔偿500元。")
    dispute.refresh_from_db()
    return dispute


def test_the_judicial_confirmation_form_on_a_settled_case(client_for, cast, mediators, dispute, today):
    dispute = _settled(dispute, mediators.community)
    page = f"/lawgov/disputes/{dispute.pk}/"
    url = f"/lawgov/disputes/{dispute.pk}/steps/confirm/"
    mediator = client_for(mediators.community)
    assert url in mediator.get(page).content.decode()
    assert url not in client_for(cast.resident).get(page).content.decode()
    empty = mediator.post(url, {"on": today.isoformat()})
    assert empty.status_code == 400 and "请填写作出确认的法院。" in empty.content.decode()
    early = mediator.post(url, {"on": "2000-01-01", "court": "雨城区人民法院"})
    assert early.status_code == 400 and "司法确认日期不能早于调解成功的日期。" in early.content.decode()
    assert client_for(mediators.other_street).post(url, {"on": today, "court": "x"}).status_code == 404
    refused = client_for(cast.resident).post(url, {"on": today.isoformat(), "court": "x"})
    assert refused.status_code == 400  # a party sees the case but confirms nothing
    dispute.refresh_from_db()
    assert dispute.confirmed_on is None
    assert mediator.post(url, {"on": today.isoformat(), "court": "雨城区人民法院"}).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.confirmed_on, dispute.confirmed_by) == (today, "雨城区人民法院")
    shown = mediator.get(page).content.decode()
    assert "经雨城区人民法院司法确认" in shown and url not in shown  # confirmed once


def test_the_api_confirms_as_the_page(api_for, cast, mediators, dispute, today):
    dispute = _settled(dispute, mediators.community)
    url = f"/api/disputes/{dispute.pk}/confirmation/"
    body = {"on": today.isoformat(), "court": "雨城区人民法院"}
    assert api_for(mediators.other_street).post(url, body, format="json").status_code == 404
    assert api_for(cast.resident).post(url, body, format="json").status_code == 403
    answer = api_for(mediators.community).post(url, body, format="json")
    assert answer.status_code == 200 and answer.json()["confirmed_by"] == "雨城区人民法院"


# --- consultations -------------------------------------------------------------------------------------
def test_the_consultation_form_picks_the_resident_by_search_and_the_session(
    client_for, cast, tree, station, time_machine
):
    time_machine.move_to(datetime(2027, 1, 30, 9, 0, tzinfo=BEIJING), tick=False)
    session = stations.schedule_session(
        actor=cast.worker,
        station=station,
        provider="bar",
        title="律师协会法律咨询",
        start_time=time(9, 30),
        duration_minutes=120,
        capacity=5,
        frequency="monthly_weekday",
        weekday=1,
        week_of_month=1,
        starts_on=date(2027, 1, 1),
        until=date(2027, 6, 30),
    )
    occurrence = session.series.occurrences.order_by("starts_at").first()
    legal = client_for(make_user("legal_a", Role.LEGAL_WORKER, tree.community_a))
    url = reverse("lawgov:station_consultations", args=[station.pk])
    form = legal.get(url).content.decode()
    assert 'hx-get="/lawgov/residents/options/"' in form  # a search box, not a select of every resident
    assert f'<option value="{cast.resident.pk}"' not in form
    assert f'<option value="{occurrence.pk}"' in form

    outsider = make_user("res_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    body = {"topic": "labour", "question": "被拖欠工资怎么办？", "answer": "", "referral": "mediation"}
    refused = legal.post(url, {**body, "resident": outsider.pk})
    assert refused.status_code == 400 and "咨询人须是本社区的居民。" in refused.content.decode()
    assert not Consultation.objects.exists()

    done = legal.post(
        url, {**body, "resident": cast.resident.pk, "occurrence": occurrence.pk, "respondent": "某公司"}
    )
    consultation = Consultation.objects.get()
    assert done.status_code == 302
    assert (consultation.resident, consultation.occurrence) == (cast.resident, occurrence)
    case = consultation.dispute
    assert case.parties.get(role="applicant").user == cast.resident
    assert case.number in client_for(cast.resident).get(reverse("lawgov:my_disputes")).content.decode()
    other = client_for(make_user("legal_b", Role.LEGAL_WORKER, tree.community_b))
    assert other.get(url).status_code == 404
    assert (
        f'value="{cast.resident.pk}"'
        not in other.get(reverse("lawgov:resident_options"), {"q": "resid"}).content.decode()
    )


def test_the_consultation_api_takes_the_resident_and_the_session(api_for, cast, tree, station):
    legal = make_user("legal_a", Role.LEGAL_WORKER, tree.community_a)
    body = {"station": station.pk, "topic": "family", "question": "离婚财产如何分割？"}
    answer = api_for(legal).post("/api/consultations/", {**body, "resident": cast.resident.pk}, format="json")
    assert answer.status_code == 201 and answer.json()["resident"] == cast.resident.pk
    outsider = make_user("res_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    refused = api_for(legal).post("/api/consultations/", {**body, "resident": outsider.pk}, format="json")
    assert refused.status_code == 400 and "resident" in refused.json()["errors"]


def test_the_service_keeps_the_resident_to_the_stations_community(api_for, cast, tree, station):
    """The city's official sees residents everywhere; the consultation still takes only the community's."""
    outsider = make_user("res_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    body = {"station": station.pk, "topic": "family", "question": "赡养纠纷", "resident": outsider.pk}
    refused = api_for(cast.city).post("/api/consultations/", body, format="json")
    assert refused.status_code == 400 and "咨询人须是本社区的居民。" in str(
        refused.json()["errors"]["resident"]
    )
    assert not Consultation.objects.exists()


def test_staff_pick_the_level_and_kind_on_the_intake_form(client_for, cast, tree):
    """The intake form offers the levels the filer receives cases at: a street official files at the street
    as administrative mediation; a community worker sees the community only, and a county posted is refused
    at the field."""
    street = client_for(cast.street_a)
    form = street.get(INTAKE).content.decode()
    assert 'name="level"' in form and "街道（乡镇）级" in form and "县（区）级" not in form
    filed = street.post(INTAKE, _body(tree.grid_a, applicant_name="孙八", level="3", kind="administrative"))
    dispute = Dispute.objects.get()
    assert filed.status_code == 302 and filed["Location"] == dispute.get_absolute_url()
    assert (dispute.level, dispute.start_level, dispute.kind, dispute.handler) == (
        3,
        3,
        "administrative",
        tree.street_a,
    )
    worker = client_for(cast.worker)
    assert "街道（乡镇）级" not in worker.get(INTAKE).content.decode()
    refused = worker.post(INTAKE, _body(tree.grid_a, applicant_name="孙八", level="2"))
    assert refused.status_code == 400 and "您无权将纠纷指定到该层级受理。" in refused.content.decode()
    assert Dispute.objects.count() == 1


def test_a_residents_own_disputes_export_holds_their_cases_only(client_for, cast, tree, today):
    from tests.imports.helpers import read_xlsx

    resident = client_for(verified(cast.resident))
    resident.post(NEW, _body(tree.courtyard_a, respondent_name="赵六"))
    neighbour = verified(make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a))
    client_for(neighbour).post(NEW, _body(tree.courtyard_a, title="邻居的纠纷", respondent_name="孙八"))
    assert Dispute.objects.count() == 2
    page = resident.get(reverse("lawgov:my_disputes")).content.decode()
    assert 'data-export="lawgov-my-disputes"' in page
    response = resident.post(reverse("imports:list_export", args=["lawgov-my-disputes"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["我的纠纷调解"]
    assert rows[0][:3] == ["案件编号", "纠纷事由", "状态"]
    mine = Dispute.objects.get(parties__user=cast.resident)
    assert [r[0] for r in rows[1:]] == [mine.number]  # not the neighbour's case
    # another street's official, a party to nothing, exports an empty list
    other = client_for(cast.street_b).post(reverse("imports:list_export", args=["lawgov-my-disputes"]))
    assert read_xlsx(b"".join(other.streaming_content))["我的纠纷调解"][1:] == []
