"""TOTP two-factor login for officials, end to end through real HTTP, with real codes computed from the
device's key (django_otp.oath.totp)."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user

TWO_FACTOR = reverse("accounts:two_factor")
HOME = reverse("portal:home")


@pytest.fixture
def required(settings):
    settings.REQUIRE_OFFICIAL_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def wrong_code(key: bytes) -> str:
    valid = {f"{totp(key, drift=d):06d}" for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}", "next": HOME})
    assert response.status_code == 200
    codes = response.context["codes"]
    return device, codes


# --- who is asked ---------------------------------------------------------------------------------------


def test_an_official_is_sent_to_the_two_factor_page(required, cast):
    client = sign_in(cast.street_a)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR + "?next=%2F"


@pytest.mark.parametrize("who", ["secretary", "worker", "city", "auditor", "admin"])
def test_every_official_role_is_asked(required, cast, who):
    assert sign_in(getattr(cast, who)).get(HOME).status_code == 302


def test_a_resident_is_never_asked(required, cast):
    assert sign_in(cast.resident).get(HOME).status_code == 200


def test_a_member_without_an_official_role_is_never_asked(required, tree):
    member = make_user("member", "member", tree.community_a)
    assert sign_in(member).get(HOME).status_code == 200


def test_nobody_is_asked_when_the_setting_is_off(settings, cast):
    settings.REQUIRE_OFFICIAL_2FA = False
    assert sign_in(cast.street_a).get(HOME).status_code == 200


def test_a_django_admin_user_is_asked(required, db):
    root = make_user("root", is_superuser=True, is_staff=True)
    response = sign_in(root).get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


# --- enrolment and verification --------------------------------------------------------------------------


def test_enrolment_end_to_end(required, cast):
    client = sign_in(cast.street_a)
    page = client.get(TWO_FACTOR + "?next=/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=cast.street_a, confirmed=False)
    secret = page.context["secret"]
    assert b32decode(secret) == device.bin_key
    assert secret in html
    assert device.config_url.startswith("otpauth://totp/Grassroots%3Astreet_a?")

    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}", "next": "/audit/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert 'href="/audit/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=cast.street_a).count() == 10
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_ENROLLED, user=cast.street_a).exists()

    assert client.get(HOME).status_code == 200  # verified for this session
    assert client.get(TWO_FACTOR + "?next=/x/")["Location"] == "/x/"
    # the codes are shown once: the page never shows them again
    assert "codes" not in client.get(TWO_FACTOR, follow=True).context


def test_the_secret_stays_the_same_until_confirmed(required, cast):
    client = sign_in(cast.street_a)
    first = client.get(TWO_FACTOR).context["secret"]
    assert client.get(TWO_FACTOR).context["secret"] == first
    assert TOTPDevice.objects.filter(user=cast.street_a).count() == 1


def test_a_wrong_code_at_enrolment_is_refused_at_the_field(required, cast):
    client = sign_in(cast.street_a)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=cast.street_a)
    response = client.post(TWO_FACTOR, {"token": wrong_code(device.bin_key)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"] == [
        "验证码不正确，请核对身份验证器应用中当前显示的 6 位数字后重试。"
    ]
    assert 'class="form-control is-invalid"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=cast.street_a).exists()
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_FAILED, user=cast.street_a).count() == 1


def test_the_next_sign_in_asks_for_a_code(required, cast):
    device, _codes = enrol(sign_in(cast.street_a), cast.street_a)

    client = sign_in(cast.street_a)
    assert client.get(HOME).status_code == 302
    page = client.get(TWO_FACTOR + "?next=/")
    assert not page.context["enrolling"]
    assert "<svg" not in page.content.decode()

    wrong = client.post(TWO_FACTOR, {"token": wrong_code(device.bin_key), "next": "/"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(HOME).status_code == 302

    # the code of the enrolment's time step is used up; the app's next code is accepted (tolerance 1 step)
    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key, drift=1):06d}", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(HOME).status_code == 200


def test_a_used_code_cannot_be_replayed(required, cast):
    client = sign_in(cast.street_a)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=cast.street_a)
    used = f"{totp(device.bin_key):06d}"
    assert "codes" in client.post(TWO_FACTOR, {"token": used, "next": "/"}).context  # enrolled
    client = sign_in(cast.street_a)
    response = client.post(TWO_FACTOR, {"token": used, "next": "/"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]


def test_a_backup_code_works_once(required, cast):
    _device, codes = enrol(sign_in(cast.street_a), cast.street_a)

    client = sign_in(cast.street_a)
    response = client.post(TWO_FACTOR, {"token": codes[0].upper(), "next": "/"})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=cast.street_a).count() == 9

    again = sign_in(cast.street_a)
    assert again.post(TWO_FACTOR, {"token": codes[0], "next": "/"}).status_code == 200
    assert again.get(HOME).status_code == 302


def test_too_many_failures_lock_the_device_for_a_while(settings, cast):
    settings.REQUIRE_OFFICIAL_2FA = True
    device, _codes = enrol(sign_in(cast.street_a), cast.street_a)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    client = sign_in(cast.street_a)
    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key, drift=1):06d}", "next": "/"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"] == ["尝试次数过多，请稍等片刻再试。"]


def test_a_foreign_next_is_not_followed(required, cast):
    client = sign_in(cast.street_a)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=cast.street_a)
    response = client.post(
        TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"}
    )
    assert 'href="https://evil.example/"' not in response.content.decode()
    assert f'href="{HOME}"' in response.content.decode()


# --- what an unverified official can reach ------------------------------------------------------------------


def test_only_the_necessary_pages_are_open_before_the_code(required, cast):
    client = sign_in(cast.street_a)
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/grassroots/app.css").status_code in (200, 404)  # never the redirect
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    for url in (reverse("accounts:password_change"), reverse("audit:log"), reverse("accounts:user_list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(TWO_FACTOR), url
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("accounts:login"))


def test_the_api_refuses_a_session_that_owes_its_code(required, cast):
    client = sign_in(cast.street_a)
    response = client.get("/api/areas/")
    assert response.status_code == 403
    assert response.json()["detail"] == "请先完成两步验证。"


def test_htmx_requests_are_redirected_by_header(required, cast):
    client = sign_in(cast.street_a)
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert re.match(re.escape(TWO_FACTOR) + r"\?next=", response["HX-Redirect"])


def test_the_token_endpoint_is_left_to_its_own_code_check(required, cast):
    client = sign_in(cast.street_a)
    response = client.post(reverse("api-token"), {"username": "street_a", "password": PASSWORD})
    assert response.status_code == 400
    assert "otp" in response.json()["errors"]
