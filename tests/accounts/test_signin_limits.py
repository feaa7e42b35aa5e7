"""Sign-in limits (django-axes): after LOGIN_FAILURE_LIMIT (10) failures for one account or from one address,
the web login, the API token endpoint and the two-factor step are refused for LOGIN_LOCKOUT_MINUTES, with a
clear message — even with the right password; a different X-Forwarded-For per request changes nothing."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from grassroots.accounts.addresses import client_ip
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
TOKEN = "/api/auth/token/"
LOCKED = "登录失败次数过多"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token endpoint's throttle counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def login(client: Client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, headers=headers)


def test_49_wrong_passwords_then_the_right_one_is_refused(cast):
    client = Client()
    for _attempt in range(49):
        assert login(client, "street_a", "wrong-guess").status_code in (200, 429)
    response = login(client, "street_a", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:home")).status_code == 302  # still signed out


def test_the_lock_starts_at_the_limit_and_says_so(cast, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "worker", "wrong-guess").status_code == 200  # the ordinary form error
    response = login(client, "worker", "wrong-guess")
    assert response.status_code == 429
    assert "15 分钟后再试" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_the_lock_is_per_account_from_any_address(cast, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}"), "worker", "wrong-guess")
    assert login(Client(REMOTE_ADDR="10.9.9.9"), "worker", PASSWORD).status_code == 429
    assert (
        login(Client(REMOTE_ADDR="10.9.9.9"), "secretary", PASSWORD).status_code == 302
    )  # others unaffected


def test_the_lock_is_per_address_across_accounts(cast, settings):
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, f"guess{attempt}", "wrong-guess")
    assert login(attacker, "secretary", PASSWORD).status_code == 429
    assert login(Client(REMOTE_ADDR="10.7.7.7"), "secretary", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(cast, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "worker", "wrong-guess")
    assert login(client, "worker", PASSWORD).status_code == 429
    time_machine.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert login(client, "worker", PASSWORD).status_code == 302


def lock_out(username: str, limit: int) -> None:
    client = Client()
    for _attempt in range(limit):
        login(client, username, "wrong-guess")


def test_repeated_lockouts_last_longer(cast, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    base = settings.AXES_COOLOFF_TIME
    lock_out("worker", settings.AXES_FAILURE_LIMIT)
    time_machine.shift(base + timedelta(seconds=1))
    assert login(Client(), "worker", "wrong-guess").status_code == 200  # the first lock is over
    lock_out("worker", settings.AXES_FAILURE_LIMIT - 1)  # the second: twice as long
    response = login(Client(), "worker", PASSWORD)
    assert response.status_code == 429
    assert "30 分钟后再试" in response.content.decode() and response["Retry-After"] == "1800"
    time_machine.shift(base + timedelta(seconds=1))
    assert login(Client(), "worker", PASSWORD).status_code == 429  # not over after 15 minutes
    time_machine.shift(base)
    assert login(Client(), "worker", PASSWORD).status_code == 302


def test_the_growth_has_a_ceiling_and_a_memory(cast, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.LOGIN_LOCKOUT_MAX_MINUTES = 20
    for _round in range(3):
        lock_out("worker", settings.AXES_FAILURE_LIMIT)
        response = login(Client(), "worker", PASSWORD)
        assert response.status_code == 429
        time_machine.shift(timedelta(minutes=20, seconds=1))
    assert "20 分钟后再试" in response.content.decode()  # 15, then 20 (not 30), then 20 (not 60)
    time_machine.shift(timedelta(hours=settings.LOGIN_LOCKOUT_MEMORY_HOURS))
    lock_out("worker", settings.AXES_FAILURE_LIMIT)  # a day later the strikes are forgotten
    assert "15 分钟后再试" in login(Client(), "worker", PASSWORD).content.decode()


def test_a_different_forwarded_for_each_time_does_not_reset_the_count(cast, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), f"guess{attempt}", "wrong-guess", x_forwarded_for=f"203.0.113.{attempt + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    response = login(Client(), "secretary", PASSWORD, x_forwarded_for="198.51.100.77")
    assert response.status_code == 429


# --- the API token endpoint -----------------------------------------------------------------------------


def test_the_token_endpoint_locks_the_same_way(cast, settings):
    api = APIClient()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        answer = api.post(
            TOKEN, {"username": "worker", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}"
        )
        assert answer.status_code in (400, 429)
    response = api.post(TOKEN, {"username": "worker", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"]
    assert response.json()["code"] == "locked_out"
    assert "Retry-After" in response


def test_the_token_throttle_ignores_a_spoofed_forwarded_for(cast, settings):
    settings.AXES_FAILURE_LIMIT = 1000  # the throttle alone: 20 requests a minute from one address
    api = APIClient()
    for attempt in range(20):
        answer = api.post(
            TOKEN, {"username": "worker", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}"
        )
        assert answer.status_code == 400
    response = api.post(TOKEN, {"username": "worker", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert response.status_code == 429


# --- the two-factor step --------------------------------------------------------------------------------


@pytest.fixture
def two_factor(settings, cast):
    settings.REQUIRE_OFFICIAL_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own per-device delay off: axes' limit is tested
    return TOTPDevice.objects.create(user=cast.street_a, name="authenticator", confirmed=True)


def test_wrong_codes_lock_the_two_factor_step(two_factor, settings):
    client = Client()
    assert login(client, "street_a", PASSWORD).status_code == 302
    valid = {f"{totp(two_factor.bin_key, drift=d):06d}" for d in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(TWO_FACTOR, {"token": wrong}).status_code == 200
    locked = client.post(TWO_FACTOR, {"token": wrong})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session  # signed out: start again after the cool-off
    right = client.post(TWO_FACTOR, {"token": f"{totp(two_factor.bin_key):06d}"})
    assert right.status_code == 302 and right["Location"].startswith(LOGIN)
    assert login(Client(REMOTE_ADDR="10.1.1.1"), "street_a", PASSWORD).status_code == 429  # the account


def test_a_signed_in_session_at_the_code_step_is_refused_while_locked(two_factor, settings):
    client = Client()
    assert login(client, "street_a", PASSWORD).status_code == 302
    for _attempt in range(settings.AXES_FAILURE_LIMIT):  # someone else guesses the password meanwhile
        login(Client(REMOTE_ADDR="10.2.2.2"), "street_a", "wrong-guess")
    response = client.post(TWO_FACTOR, {"token": f"{totp(two_factor.bin_key):06d}"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_wrong_codes_at_the_token_endpoint_count_too(two_factor, settings):
    api = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post(TOKEN, {"username": "street_a", "password": PASSWORD, "otp": "000000"})
    code = f"{totp(two_factor.bin_key):06d}"
    response = api.post(TOKEN, {"username": "street_a", "password": PASSWORD, "otp": code})
    assert response.status_code == 429


# --- the client's address -------------------------------------------------------------------------------


class FakeRequest:
    def __init__(self, remote: str, forwarded: str = ""):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(FakeRequest("198.51.100.1", "203.0.113.9")) == "198.51.100.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(FakeRequest("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    # the client wrote the left part; the proxies appended the right part
    assert client_ip(FakeRequest("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.5")) == "203.0.113.9"
    assert client_ip(FakeRequest("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(FakeRequest("198.51.100.1", "203.0.113.9")) == "198.51.100.1"  # not our proxy


def test_behind_a_trusted_proxy_each_client_has_its_own_count(cast, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), f"guess{attempt}", "wrong-guess", x_forwarded_for="203.0.113.50")
    assert login(Client(), "secretary", PASSWORD, x_forwarded_for="203.0.113.50").status_code == 429
    assert login(Client(), "secretary", PASSWORD, x_forwarded_for="203.0.113.51").status_code == 302
