"""Officials are signed out after SESSION_IDLE_TIMEOUT seconds without a request (MLPS 8.1.4.1); residents
after the longer SESSION_IDLE_TIMEOUT_RESIDENTS (0: the cookie's age only).
The clock is pinned (time-machine) and moved past the timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from grassroots.audit.models import AuditEvent
from tests.conftest import A_WORKDAY
from tests.homes import open_home


@pytest.fixture
def idle_after_30_minutes(settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60


def test_an_official_idle_for_longer_is_signed_out(idle_after_30_minutes, cast, client_for, time_machine):
    time_machine.move_to(A_WORKDAY, tick=False)
    client = client_for(cast.street_a)
    assert client.get("/members/").status_code == 200
    time_machine.move_to(A_WORKDAY + timedelta(minutes=29))
    assert client.get("/members/").status_code == 200  # active: the clock starts again
    time_machine.move_to(A_WORKDAY + timedelta(minutes=29 + 31))
    response = client.get("/members/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fmembers%2F"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT, user=cast.street_a).exists()
    assert client.get("/members/")["Location"].startswith("/accounts/login/")  # the session is gone


def test_the_api_with_a_session_answers_401(idle_after_30_minutes, cast, client_for, time_machine):
    time_machine.move_to(A_WORKDAY, tick=False)
    client = client_for(cast.street_a)
    assert client.get("/api/members/").status_code == 200
    time_machine.move_to(A_WORKDAY + timedelta(minutes=31))
    response = client.get("/api/members/")
    assert response.status_code == 401 and response.json()["code"] == "session_expired"


def test_a_resident_is_signed_out_after_their_longer_timeout(settings, cast, client_for, time_machine):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_IDLE_TIMEOUT_RESIDENTS = 2 * 3600
    time_machine.move_to(A_WORKDAY, tick=False)
    resident = client_for(cast.resident)
    assert resident.get("/privacy/mine/").status_code == 200
    time_machine.move_to(A_WORKDAY + timedelta(minutes=119))
    assert resident.get("/privacy/mine/").status_code == 200  # past the officials' 30 minutes: still in
    time_machine.move_to(A_WORKDAY + timedelta(minutes=119 + 121))
    response = resident.get("/privacy/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT, user=cast.resident).exists()


def test_residents_and_a_timeout_of_zero_are_left_alone(settings, cast, client_for, time_machine):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_IDLE_TIMEOUT_RESIDENTS = 0
    time_machine.move_to(A_WORKDAY, tick=False)
    resident = client_for(cast.resident)
    open_home(resident)
    time_machine.move_to(A_WORKDAY + timedelta(hours=2))
    assert resident.get("/privacy/mine/").status_code == 200
    settings.SESSION_IDLE_TIMEOUT = 0
    official = client_for(cast.street_a)
    official.get("/members/")
    time_machine.move_to(A_WORKDAY + timedelta(hours=4))
    assert official.get("/members/").status_code == 200
