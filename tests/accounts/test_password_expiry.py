"""A console account (official, auditor, system admin) whose password is older than PASSWORD_MAX_AGE_DAYS
reaches only the password change page, and the API answers 403 `password_expired`, until the password is
changed (MLPS 8.1.4.1); residents are not asked. The clock is pinned (time-machine)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import A_WORKDAY
from tests.factories import PASSWORD, api_token
from tests.homes import open_home

User = get_user_model()


@pytest.fixture
def expiry_90_days(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90


def _changed_on(user, when):
    User.objects.filter(pk=user.pk).update(password_changed_at=when)


def test_an_official_with_an_old_password_must_change_it(expiry_90_days, cast, client_for, time_machine):
    _changed_on(cast.street_a, A_WORKDAY)
    time_machine.move_to(A_WORKDAY + timedelta(days=89), tick=False)
    web = client_for(cast.street_a)
    assert web.get("/members/").status_code == 200
    token = api_token(cast.street_a)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/members/").status_code == 200

    time_machine.move_to(A_WORKDAY + timedelta(days=91), tick=False)
    web = client_for(cast.street_a)  # signs in again (the cookie's age is hours)
    response = web.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/password/change/")
    assert web.get("/accounts/password/change/").status_code == 200
    answer = api.get("/api/members/")
    assert answer.status_code == 403 and answer.json()["code"] == "password_expired"

    changed = web.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Qj-2026-新密码!x", "new_password2": "Qj-2026-新密码!x"},
    )
    assert changed.status_code == 302
    assert web.get("/members/").status_code == 200
    fresh = Client(HTTP_AUTHORIZATION=f"Token {api_token(User.objects.get(pk=cast.street_a.pk))}")
    assert fresh.get("/api/members/").status_code == 200


def test_an_account_without_a_recorded_change_counts_from_joining(
    expiry_90_days, cast, client_for, time_machine
):
    User.objects.filter(pk=cast.auditor.pk).update(password_changed_at=None, date_joined=A_WORKDAY)
    time_machine.move_to(A_WORKDAY + timedelta(days=91), tick=False)
    assert open_home(client_for(cast.auditor))["Location"].startswith("/accounts/password/change/")


def test_residents_and_a_max_age_of_zero_are_left_alone(settings, cast, client_for, time_machine):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _changed_on(cast.resident, A_WORKDAY)
    time_machine.move_to(A_WORKDAY + timedelta(days=400), tick=False)
    assert client_for(cast.resident).get("/privacy/mine/").status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _changed_on(cast.street_a, A_WORKDAY)
    assert client_for(cast.street_a).get("/members/").status_code == 200


def test_a_new_password_records_when(db, time_machine):
    """An account's first password (create_user, createsuperuser: hashed without set_password) and any later
    new one (change, reset, admin) record when they were saved."""
    time_machine.move_to(A_WORKDAY, tick=False)
    user = User.objects.create_user(username="newcomer", password=PASSWORD)
    user.refresh_from_db()
    assert user.password_changed_at == A_WORKDAY
    admin = User.objects.create_superuser(username="root-newcomer", password=PASSWORD)
    assert User.objects.get(pk=admin.pk).password_changed_at == A_WORKDAY
    time_machine.move_to(A_WORKDAY + timedelta(days=3), tick=False)
    user.full_name = "新来的"
    user.save()  # no new password: the date stays
    assert User.objects.get(pk=user.pk).password_changed_at == A_WORKDAY
    user.set_password("Qj-2026-新密码!x")
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_changed_at == A_WORKDAY + timedelta(days=3)


def test_the_privacy_notice_comes_first_without_a_loop(
    expiry_90_days, settings, cast, client_for, time_machine
):
    """Held back by both: the consent page opens (the password page would send there), then the password."""
    settings.PRIVACY_NOTICE_REQUIRED = True
    _changed_on(cast.street_a, A_WORKDAY)
    time_machine.move_to(A_WORKDAY + timedelta(days=91), tick=False)
    web = client_for(cast.street_a)
    web.get("/members/")
    page = web.get("/accounts/password/change/", follow=True)
    assert page.redirect_chain and page.redirect_chain[-1][0].startswith("/privacy/consent/")
    assert page.status_code == 200
