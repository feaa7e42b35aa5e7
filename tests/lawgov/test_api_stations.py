"""`/api/legal-stations/`, `/api/legal-sessions/` (book, cancel) and `/api/consultations/`: the pages' steps
through the API; another community's legal worker gets 404; a full occurrence is refused in Chinese."""

import pytest

from grassroots.accounts.roles import Role
from grassroots.lawgov.models_disputes import Dispute
from grassroots.lawgov.models_stations import Consultation
from tests.factories import make_user
from tests.lawgov.test_station_pages import _session, legal_worker, station  # noqa: F401


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_resident_books_full_refused_and_cancels(station, cast, tree, api):  # noqa: F811
    first = _session(cast, station).series.occurrences.order_by("starts_at").first()
    client = api(cast.resident)
    stations_ = client.get("/api/legal-stations/").json()["results"]
    assert [s["name"] for s in stations_] == ["桥楼社区法律服务站"]
    assert stations_[0]["workers"][0]["name"] == "王律师"
    sessions = client.get(f"/api/legal-sessions/?station={station.pk}").json()["results"]
    assert sessions[0]["id"] == first.pk and sessions[0]["booked"] == 0 and not sessions[0]["mine"]
    booked = client.post(f"/api/legal-sessions/{first.pk}/book/")
    assert booked.status_code == 200 and booked.json()["mine"] and booked.json()["booked"] == 1
    neighbour = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    refused = api(neighbour).post(f"/api/legal-sessions/{first.pk}/book/")
    assert refused.status_code == 400 and "名额已满（共 1 人），无法报名。" in refused.text
    client = api(cast.resident)
    cancelled = client.post(f"/api/legal-sessions/{first.pk}/cancel/")
    assert cancelled.status_code == 200 and not cancelled.json()["mine"]


def test_consultation_referred_to_mediation_and_scope(station, cast, tree, api, legal_worker):  # noqa: F811
    client = api(legal_worker)
    created = client.post(
        "/api/consultations/",
        {"station": station.pk, "topic": "labour", "question": "拖欠工资", "referral": "mediation"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.text
    consultation = Consultation.objects.get()
    assert created.json()["dispute_number"] == Dispute.objects.get().number == consultation.dispute.number
    assert [c["id"] for c in client.get("/api/consultations/").json()["results"]] == [consultation.pk]
    first = _session(cast, station).series.occurrences.order_by("starts_at").first()
    outsider = api(make_user("legal_b", Role.LEGAL_WORKER, tree.community_b))
    assert outsider.get(f"/api/legal-stations/{station.pk}/").status_code == 404
    assert outsider.get(f"/api/consultations/{consultation.pk}/").status_code == 404
    assert outsider.post(f"/api/legal-sessions/{first.pk}/book/").status_code == 404
    assert outsider.get("/api/consultations/").json()["results"] == []
    refused = outsider.post(
        "/api/consultations/",
        {"station": station.pk, "topic": "other", "question": "x"},
        content_type="application/json",
    )
    assert refused.status_code in (400, 403) and Consultation.objects.count() == 1
