"""Who reads a case's file (issue 16, "who sees a case"): the lawgov.disputes view reaches the officials
of the area where the case happened, legal workers and auditors, but the case's text — what happened, the
request, the parties and their statements, the sessions' records, the reasons, the agreement, the documents
— only those handling it (lawgov.mediate on the area handling it now), the mediators assigned and its
parties read. The others read its summary: number, category, level, kind, state, dates; through the page,
the API, the export and search alike."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.lawgov import services_disputes as services
from grassroots.search.services import index_record
from tests.exports.test_list_exports import export
from tests.factories import make_user

# What the dispute fixture and the steps below write: the case's text.
TEXT = ("楼上漏水纠纷", "楼上卫生间漏水", "王五", "1栋302", "双方各执一词", "社区调解未果")


@pytest.fixture
def escalated(mediators, dispute):
    """The resident's case, mediated at the community (a session), then escalated to the street: the
    community's staff still see it (it happened in their community) but no longer handle it."""
    services.record_session(
        actor=mediators.community,
        dispute=dispute,
        held_at=timezone.now(),
        place="桥楼社区调解室",
        mediator_names="社区调解员",
        record="双方各执一词。",
    )
    services.start_mediation(actor=mediators.community, dispute=dispute)
    services.escalate(actor=mediators.community, dispute=dispute, reason="社区调解未果")
    dispute.refresh_from_db()
    index_record("dispute", dispute.pk)  # as on commit: search finds it by its text
    return dispute


def _page(client, dispute) -> str:
    response = client.get(reverse("lawgov:dispute_detail", args=[dispute.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _api(api, dispute) -> dict:
    response = api.get(f"/api/disputes/{dispute.pk}/")
    assert response.status_code == 200
    return response.json()


def _no_text(where: str) -> None:
    assert not [text for text in TEXT if text in where], where


@pytest.mark.parametrize("who", ["worker", "secretary", "auditor", "legal_worker"])
def test_who_sees_the_case_without_handling_it_reads_its_summary_only(
    client_for, api_for, cast, tree, escalated, who
):
    reader = (
        make_user("legal", Role.LEGAL_WORKER, tree.community_a)
        if who == "legal_worker"
        else getattr(cast, who)
    )
    page = _page(client_for(reader), escalated)
    assert escalated.number in page and "邻里纠纷" in page and escalated.state_label in page
    assert 'id="summary-only"' in page
    _no_text(page)
    for document in ("application", "record"):
        url = reverse("lawgov:dispute_document", args=[escalated.pk, document])
        assert client_for(reader).get(url).status_code == 403

    api = api_for(reader)
    one = _api(api, escalated)
    assert one["case_file"] is False and one["number"] == escalated.number
    assert (one["category"], one["level"], one["state"]) == ("neighbours", 3, escalated.state)
    assert one["parties"] == [] and one["sessions"] == [] and one["description"] == ""
    _no_text(json.dumps(one, ensure_ascii=False))
    listed = api.get("/api/disputes/").json()
    _no_text(json.dumps(listed, ensure_ascii=False))
    assert escalated.number in json.dumps(listed, ensure_ascii=False)
    sessions = api.get("/api/mediation-sessions/").json()
    _no_text(json.dumps(sessions, ensure_ascii=False))
    assert sessions["count"] == 0
    search = api.get("/api/search/", {"q": "漏水"}).json()
    assert not [row for row in search["results"] if row["kind"] == "dispute"]


def test_an_official_without_the_cases_mediation_exports_none_of_it(client_for, cast, escalated):
    rows = export(client_for(cast.worker), "lawgov-caseload")
    _no_text(json.dumps(rows, ensure_ascii=False, default=str))
    assert escalated.number not in json.dumps(rows, ensure_ascii=False, default=str)


def test_the_mediators_handling_it_and_its_party_read_the_file(
    client_for, api_for, cast, mediators, escalated
):
    for reader in (mediators.street, cast.street_a, cast.resident):
        page = _page(client_for(reader), escalated)
        assert "楼上卫生间漏水" in page and "双方各执一词" in page and "社区调解未果" in page
        assert 'id="summary-only"' not in page
        one = _api(api_for(reader), escalated)
        assert one["case_file"] is True and one["title"] == "楼上漏水纠纷" and one["parties"]
        url = reverse("lawgov:dispute_document", args=[escalated.pk, "application"])
        assert client_for(reader).get(url).status_code == 200
    rows = json.dumps(
        export(client_for(mediators.street), "lawgov-caseload"), ensure_ascii=False, default=str
    )
    assert escalated.number in rows and "楼上漏水纠纷" in rows
    search = api_for(mediators.street).get("/api/search/", {"q": "漏水"}).json()
    assert [row for row in search["results"] if row["kind"] == "dispute"]


def test_a_case_escalated_leaves_its_first_mediators_with_the_summary(client_for, mediators, dispute):
    """The case's file follows its handling: escalated to the street, the community's mediator (assigned
    there, cleared by the escalation) reads its summary, the street's its file."""
    services.assign_mediators(actor=mediators.community, dispute=dispute, users=[mediators.community])
    assert "楼上卫生间漏水" in _page(client_for(mediators.community), dispute)
    services.escalate(actor=mediators.community, dispute=dispute, reason="社区调解未果")
    _no_text(_page(client_for(mediators.community), dispute))
    assert "楼上卫生间漏水" in _page(client_for(mediators.street), dispute)


def test_who_registered_a_case_at_the_station_keeps_reading_it(client_for, cast, tree, mediators):
    """The legal worker who took the story down (a station's intake, a referral) reads what they wrote,
    after the case left their community; a colleague of the same station reads its summary."""
    lawyer = make_user("lawyer", Role.LEGAL_WORKER, tree.community_a)
    colleague = make_user("colleague", Role.LEGAL_WORKER, tree.community_a)
    case = services.file_dispute(
        actor=lawyer,
        area=tree.courtyard_a,
        title="楼上漏水纠纷",
        category="neighbours",
        description="楼上卫生间漏水，多次协商未果。",
        channel="station",
        parties=[{"role": "applicant", "name": "王五"}],
    )
    services.escalate(actor=mediators.community, dispute=case, reason="社区调解未果")
    assert "楼上卫生间漏水" in _page(client_for(lawyer), case)
    _no_text(_page(client_for(colleague), case))
