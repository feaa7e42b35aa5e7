"""The privacy notice is public and registration asks for consent to it: no account without it, and the
consent is recorded with the notice's version (and shown in the person's own data)."""

from __future__ import annotations

from django.test import Client

from grassroots.accounts.models import User
from grassroots.privacy.models import Consent
from grassroots.privacy.notice import NOTICE_VERSION
from tests.accounts.test_verification_form import valid


def form(tree, **changes) -> dict:
    """The registration form of tests/accounts; `consent=None` leaves the box unticked."""
    return {k: v for k, v in valid(tree, **changes).items() if v is not None}


def test_the_notice_is_public_and_linked_from_registration(db):
    page = Client().get("/privacy/notice/").content.decode()
    assert "个人信息处理规则" in page and NOTICE_VERSION in page and "180 天" in page
    assert 'href="/privacy/notice/"' in Client().get("/accounts/register/").content.decode()


def test_no_account_without_consent(tree):
    response = Client().post("/accounts/register/", form(tree, consent=None))
    assert response.status_code == 200
    assert "请阅读并同意《个人信息处理规则》后再注册。" in response.content.decode()
    assert not User.objects.filter(username="wangxm").exists()


def test_the_consent_is_recorded_with_its_version(tree):
    client = Client()
    assert client.post("/accounts/register/", form(tree)).status_code == 302
    consent = Consent.objects.get()
    assert consent.user.username == "wangxm" and consent.version == NOTICE_VERSION
    assert consent.purpose == "居民注册与实名核验"
    data = client.get("/privacy/mine/download.json").json()
    assert data["privacy.consent"]["rows"][0]["规则版本"] == NOTICE_VERSION
