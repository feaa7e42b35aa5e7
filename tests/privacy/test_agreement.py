"""Everyone agrees to the current privacy notice before using the platform (PIPL arts. 13, 14, 17), not only
residents who register: accounts made by officials and members' accounts linked to the records officials
entered are asked at their first sign-in, everyone again after a new version; until they agree the account
reaches only the consent page, their own data and requests, and signing out. The API says why
(`notice_not_agreed`) and offers the agreement itself (`POST /api/me/consent/`). Withdrawal (art. 15) is a
separate action from deletion: recorded and audited, the account held back the same way, agreeing again
opens it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.privacy.models import Consent, DataRequest
from grassroots.privacy.notice import NOTICE_VERSION
from grassroots.privacy.services import record_consent
from tests.accounts.test_new_account import GOOD_PASSWORD
from tests.accounts.test_new_account import form as account_form
from tests.homes import open_home


@pytest.fixture
def required(settings):
    settings.PRIVACY_NOTICE_REQUIRED = True


def signed_in(client, username: str, password: str):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def test_an_account_made_by_an_official_is_asked_at_first_sign_in(required, cast, tree, client_for, client):
    made = client_for(cast.street_a)  # the official has agreed (below); their new worker has not
    record_consent(user=cast.street_a, purpose="测试")
    assert made.post(reverse("accounts:account_create"), account_form(tree.community_a)).status_code == 302

    signed_in(client, "new_worker", GOOD_PASSWORD)
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/privacy/consent/?next=%2Fmembers%2F"
    page = client.get(response["Location"]).content.decode()
    assert "个人信息处理规则" in page and "不同意，退出登录" in page and NOTICE_VERSION in page
    assert open_home(client).status_code == 302  # no page to skip to
    assert client.get("/privacy/mine/").status_code == 200  # their own data stays open

    # the box unticked: the message at the field, nothing recorded
    refused = client.post("/privacy/consent/?next=/members/", {"version": NOTICE_VERSION})
    assert refused.status_code == 200 and "请阅读并勾选同意" in refused.content.decode()
    assert not Consent.objects.filter(user__username="new_worker").exists()

    agreed = client.post("/privacy/consent/", {"version": NOTICE_VERSION, "agree": "on", "next": "/members/"})
    assert agreed.status_code == 302 and agreed["Location"] == "/members/"
    consent = Consent.objects.get(user__username="new_worker")
    assert consent.version == NOTICE_VERSION and consent.purpose == "使用平台（登录后确认）"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERSONAL_DATA, username="new_worker")
    assert NOTICE_VERSION in event.what and event.ip == "127.0.0.1"
    assert client.get("/members/").status_code == 200


def test_a_member_whose_record_officials_entered_is_asked(required, resident, client_for):
    client = client_for(resident)  # the member record was entered for them: no consent of theirs
    assert resident.member_record is not None
    assert open_home(client).status_code == 302
    client.post("/privacy/consent/", {"version": NOTICE_VERSION, "agree": "on"})
    assert open_home(client).status_code == 200


def test_a_new_version_asks_again_an_agreed_one_does_not(required, cast, client_for):
    record_consent(user=cast.resident, purpose="居民注册与实名核验", version="2026-01-01")
    record_consent(user=cast.worker, purpose="居民注册与实名核验")
    assert open_home(client_for(cast.resident)).status_code == 302
    assert open_home(client_for(cast.worker)).status_code == 200
    # an old version posted (the page was open while the notice changed) is refused
    client = client_for(cast.resident)
    client.post("/privacy/consent/", {"version": "2026-01-01", "agree": "on"})
    assert Consent.objects.filter(user=cast.resident).count() == 1


def test_nobody_is_held_back_with_the_setting_off(settings, cast, client_for):
    settings.PRIVACY_NOTICE_REQUIRED = False
    assert open_home(client_for(cast.worker)).status_code == 200


def test_the_api_says_why_and_takes_the_agreement(required, cast, api_for):
    api = api_for(cast.worker)
    refused = api.get("/api/members/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "notice_not_agreed" and "/api/me/consent/" in refused.json()["detail"]
    assert api.get("/api/me/data/").status_code == 200
    assert api.get("/api/data-requests/").status_code == 200
    state = api.get("/api/me/consent/").json()
    assert state["standing"] == "missing" and state["version"] == NOTICE_VERSION
    assert state["notice_url"].endswith("/privacy/notice/")

    old = api.post("/api/me/consent/", {"version": "2026-01-01"}, format="json")
    assert old.status_code == 400 and "version" in old.json()["errors"]
    done = api.post("/api/me/consent/", {"version": NOTICE_VERSION}, format="json")
    assert done.status_code == 200 and done.json()["standing"] == "agreed"
    assert api.get("/api/members/").status_code == 200


def test_withdrawal_holds_the_account_back_until_it_agrees_again(required, cast, client_for):
    record_consent(user=cast.resident, purpose="居民注册与实名核验")
    client = client_for(cast.resident)
    assert open_home(client).status_code == 200
    page = client.get("/privacy/mine/").content.decode()
    assert "撤回同意" in page

    response = client.post("/privacy/consent/withdraw/")
    assert response.status_code == 302 and response["Location"] == "/privacy/mine/"
    consent = Consent.objects.get(user=cast.resident)
    assert consent.withdrawn_at is not None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERSONAL_DATA, user=cast.resident)
    assert event.what.startswith("撤回对《个人信息处理规则》的同意")

    # held back: the data page, the downloads and a deletion request stay open, nothing else
    assert open_home(client).status_code == 302
    assert client.get("/gatherings/").status_code == 302
    assert client.get("/privacy/mine/download.json").status_code == 200
    assert "您已撤回同意" in client.get("/privacy/consent/").content.decode()
    client.post("/privacy/requests/new/", {"kind": "deletion", "details": ""})
    request = DataRequest.objects.get(user=cast.resident)
    assert client.get(request.get_absolute_url()).status_code == 200
    # nothing of theirs was deleted by the withdrawal
    assert cast.resident.__class__.objects.get(pk=cast.resident.pk).is_active
    # a second withdrawal has nothing to withdraw
    client.post("/privacy/consent/withdraw/")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSONAL_DATA, user=cast.resident).count() == 1

    client.post("/privacy/consent/", {"version": NOTICE_VERSION, "agree": "on"})
    assert Consent.objects.filter(user=cast.resident).count() == 2
    assert open_home(client).status_code == 200


def test_withdrawal_through_the_api(required, cast, api_for):
    record_consent(user=cast.resident, purpose="居民注册与实名核验")
    api = api_for(cast.resident)
    assert api.post("/api/me/consent/withdraw/").json()["standing"] == "withdrawn"
    refused = api.get("/api/gatherings/")
    assert refused.status_code == 403 and refused.json()["code"] == "consent_withdrawn"
    created = api.post("/api/data-requests/", {"kind": "deletion"}, format="json")
    assert created.status_code == 201
    assert api.post("/api/me/consent/withdraw/").status_code == 400  # nothing left to withdraw


def test_a_handler_who_withdrew_decides_nothing(required, cast, resident, api_for):
    record_consent(user=cast.secretary, purpose="测试")
    record_consent(user=resident, purpose="测试")
    request = api_for(resident).post("/api/data-requests/", {"kind": "correction", "details": "改名"}).json()
    handler = api_for(cast.secretary)
    handler.post("/api/me/consent/withdraw/")
    url = f"/api/data-requests/{request['id']}/transitions/complete/"
    refused = handler.post(url, {"comment": "已更正"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "consent_withdrawn"
