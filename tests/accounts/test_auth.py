"""Sign in and out, password change and reset, and the language switch, through real HTTP."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang> on the page"
    return match.group(1).lower()  # BCP 47 spelling (zh-Hans) or Django's (zh-hans)


# --- sign in / out ---------------------------------------------------------------------------------------


def test_the_login_page_is_in_chinese(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert html_lang(response) == "zh-hans"
    assert "登录" in page
    assert 'class="form-control"' in page
    assert reverse("accounts:password_reset") in page
    assert reverse("set_language") in page


def test_login_redirects_home(cast):
    response = Client().post(LOGIN, {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_login_follows_a_safe_next_only(cast):
    ok = Client().post(LOGIN + "?next=/audit/", {"username": "worker", "password": PASSWORD})
    assert ok["Location"] == "/audit/"
    evil = Client().post(LOGIN + "?next=https://evil.example/", {"username": "worker", "password": PASSWORD})
    assert evil["Location"] == reverse("portal:home")


def test_a_wrong_password_is_refused_with_a_message(cast):
    client = Client()
    response = client.post(LOGIN, {"username": "secretary", "password": "nope"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(cast, client_for):
    client = client_for(cast.worker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


# --- password change ------------------------------------------------------------------------------------


def test_password_change_needs_login(db):
    response = Client().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_change(cast, client_for):
    client = client_for(cast.worker)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "qiaolou-2025-new", "new_password2": "qiaolou-2025-new"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    assert Client().login(username="worker", password="qiaolou-2025-new")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert event.user == cast.worker


def test_a_wrong_old_password_is_reported_at_its_field(cast, client_for):
    client = client_for(cast.worker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "qiaolou-2025-new", "new_password2": "qiaolou-2025-new"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED).exists()


# --- password reset -------------------------------------------------------------------------------------


@pytest.fixture
def with_email(cast):
    cast.secretary.email = "secretary@qiaolou.example.cn"
    cast.secretary.save()
    return cast.secretary


def test_password_reset_by_email(with_email):
    client = Client()
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    response = client.post(reverse("accounts:password_reset"), {"email": with_email.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert client.get(response["Location"]).status_code == 200

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [with_email.email]
    assert "重设" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": "fresh-pass-9981", "new_password2": "fresh-pass-9981"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(done["Location"]).status_code == 200
    assert Client().login(username="secretary", password="fresh-pass-9981")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=with_email).exists()

    reused = client.get(link, follow=True)
    assert not reused.context["validlink"]


def test_an_unknown_email_sends_nothing_but_says_the_same(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []


# --- language switch ------------------------------------------------------------------------------------


def switch(client: Client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switching_to_english_changes_the_page_language(db):
    client = Client()
    response = switch(client, "en", LOGIN)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    page = client.get(LOGIN)
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    switch(client, "zh-hans", LOGIN)
    back = client.get(LOGIN)
    assert html_lang(back) == "zh-hans"
    assert back["Content-Language"] == "zh-hans"


def test_the_chosen_language_sticks_through_login_and_logout(cast):
    client = Client()
    switch(client, "en", LOGIN)
    client.post(LOGIN, {"username": "resident", "password": PASSWORD})
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert html_lang(home) == "en"
    client.post(reverse("accounts:logout"))
    assert html_lang(client.get(LOGIN)) == "en"


def test_a_signed_in_user_can_switch(cast, client_for):
    client = client_for(cast.street_a)
    assert html_lang(client.get(reverse("portal:home"))) == "zh-hans"
    switch(client, "en")
    assert html_lang(client.get(reverse("portal:home"))) == "en"


def test_an_unknown_language_is_ignored(db):
    client = Client()
    switch(client, "fr", LOGIN)
    assert html_lang(client.get(LOGIN)) == "zh-hans"
