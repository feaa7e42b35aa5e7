"""POST /api/auth/token/: username + password (+ TOTP for officials when two-factor is required)."""

import pytest
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from grassroots.accounts.models import ApiToken
from grassroots.accounts.services.tokens import digest
from grassroots.audit.models import AuditEvent
from tests.factories import PASSWORD

URL = "/api/auth/token/"


@pytest.fixture
def signals():
    """Record the login signals the endpoint sends (real receivers, connected for the test)."""
    seen = {"failed": [], "logged_in": []}

    def failed(sender, credentials, request=None, **kwargs):
        seen["failed"].append((credentials.get("username"), request))

    def logged_in(sender, user, request=None, **kwargs):
        seen["logged_in"].append(user.username)

    user_login_failed.connect(failed, dispatch_uid="test-failed")
    user_logged_in.connect(logged_in, dispatch_uid="test-logged-in")
    yield seen
    user_login_failed.disconnect(dispatch_uid="test-failed")
    user_logged_in.disconnect(dispatch_uid="test-logged-in")


def totp_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_good_credentials_give_a_token_that_authenticates(cast, anonymous_api, signals):
    response = anonymous_api.post(URL, {"username": "street_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(digest=digest(key)).user == cast.street_a
    assert response.json()["expires_at"]
    assert signals["logged_in"] == ["street_a"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, user=cast.street_a).count() == 1

    client = APIClient()
    assert client.get("/api/areas/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get("/api/areas/")
    assert answer.status_code == 200
    assert answer.json()["count"] == 4  # 青江街道 and its subtree


def test_each_login_issues_its_own_token(cast, anonymous_api):
    first = anonymous_api.post(URL, {"username": "worker", "password": PASSWORD}).json()["token"]
    second = anonymous_api.post(URL, {"username": "worker", "password": PASSWORD}).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=cast.worker).count() == 2
    assert not ApiToken.objects.filter(digest__in=[first, second]).exists()  # only digests are stored


def test_bad_credentials_are_refused_and_logged(cast, anonymous_api, signals):
    response = anonymous_api.post(URL, {"username": "street_a", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.json()["errors"]["non_field_errors"][0]
    assert not ApiToken.objects.filter(user=cast.street_a).exists()
    assert [username for username, _request in signals["failed"]] == ["street_a"]
    assert signals["failed"][0][1] is not None, "the signal carries the request (IP address for the audit)"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert (event.username, event.user) == ("street_a", cast.street_a)


def test_unknown_user_and_missing_fields(db, anonymous_api):
    assert anonymous_api.post(URL, {"username": "nobody", "password": "x"}).status_code == 400
    response = anonymous_api.post(URL, {"username": "nobody"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_inactive_user_gets_no_token(cast, anonymous_api):
    cast.worker.is_active = False
    cast.worker.save()
    assert anonymous_api.post(URL, {"username": "worker", "password": PASSWORD}).status_code == 400


def test_demo_accounts_get_no_token_in_production(cast, anonymous_api, settings):
    type(cast.worker).objects.filter(pk=cast.worker.pk).update(is_demo=True)
    settings.DEBUG = False
    assert anonymous_api.post(URL, {"username": "worker", "password": PASSWORD}).status_code == 400
    settings.DEBUG = True
    assert anonymous_api.post(URL, {"username": "worker", "password": PASSWORD}).status_code == 200


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.REQUIRE_OFFICIAL_2FA = True

    @pytest.fixture
    def device(self, cast):
        return TOTPDevice.objects.create(user=cast.street_a, name="phone", confirmed=True)

    def test_an_official_without_otp_is_refused(self, cast, device, anonymous_api, signals):
        response = anonymous_api.post(URL, {"username": "street_a", "password": PASSWORD})
        assert response.status_code == 400
        assert "两步验证码不正确" in response.json()["errors"]["otp"][0]
        assert not ApiToken.objects.filter(user=cast.street_a).exists()
        assert [username for username, _request in signals["failed"]] == ["street_a"]

    def test_an_official_with_a_wrong_otp_is_refused(self, cast, device, anonymous_api):
        wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
        response = anonymous_api.post(URL, {"username": "street_a", "password": PASSWORD, "otp": wrong})
        assert response.status_code == 400
        assert not ApiToken.objects.filter(user=cast.street_a).exists()

    def test_an_official_with_the_right_otp_gets_a_token(self, cast, device, anonymous_api):
        response = anonymous_api.post(
            URL, {"username": "street_a", "password": PASSWORD, "otp": totp_code(device)}
        )
        assert response.status_code == 200
        assert ApiToken.objects.get(user=cast.street_a).digest == digest(response.json()["token"])

    def test_an_official_without_a_device_must_set_one_up_first(self, cast, anonymous_api):
        response = anonymous_api.post(URL, {"username": "street_b", "password": PASSWORD, "otp": "123456"})
        assert response.status_code == 400
        assert "设置两步验证" in response.json()["errors"]["otp"][0]

    def test_a_resident_needs_no_otp(self, cast, anonymous_api):
        response = anonymous_api.post(URL, {"username": "resident", "password": PASSWORD})
        assert response.status_code == 200

    def test_a_browser_session_without_otp_cannot_use_the_api(self, cast, client_for):
        browser = client_for(cast.street_a)  # password only: the TOTP step not taken
        assert browser.get("/api/areas/").status_code == 403
        resident = client_for(cast.resident)
        assert resident.get("/api/areas/").status_code == 200

    def test_no_endpoint_lets_a_password_only_session_in(self, cast, client_for):
        from grassroots.api.urls import router

        browser = client_for(cast.street_a)
        assert router.registry, "the router collected the apps' viewsets"
        for prefix, _viewset, _basename in router.registry:
            assert browser.get(f"/api/{prefix}/").status_code == 403, prefix

    def test_a_token_is_enough_once_issued(self, cast, device, anonymous_api, api_for):
        assert api_for(cast.street_a).get("/api/areas/").status_code == 200


def test_delete_revokes_the_token(cast, api_for):
    api = api_for(cast.worker)
    assert api.delete(URL).status_code == 204
    assert not ApiToken.objects.filter(user=cast.worker).exists()
    assert api.get("/api/areas/").status_code == 401


def test_delete_needs_authentication(db, anonymous_api):
    assert anonymous_api.delete(URL).status_code == 401


def test_password_guessing_is_throttled(cast, anonymous_api, settings):
    settings.AXES_FAILURE_LIMIT = (
        1000  # the throttle alone (the lockout: tests/accounts/test_signin_limits.py)
    )
    for _attempt in range(20):
        assert anonymous_api.post(URL, {"username": "street_a", "password": "guess"}).status_code == 400
    response = anonymous_api.post(URL, {"username": "street_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response
