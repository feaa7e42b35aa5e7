"""API tokens: a lifetime, revoked on a password change, a disabled account (also by bulk writes) or a web
sign-out, listed and revoked by the user on their own page and by admins on the user's page; only a digest
of the key is stored."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.services.tokens import digest, issue_token
from tests.factories import PASSWORD

AREAS = "/api/areas/"
MINE = reverse("accounts:my_tokens")


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_works_until_it_expires(cast, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token, key = issue_token(user=cast.worker)
    assert token.expires_at == timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    assert api(key).get(AREAS).status_code == 200
    time_machine.shift(timedelta(days=settings.API_TOKEN_LIFETIME_DAYS) - timedelta(minutes=1))
    assert api(key).get(AREAS).status_code == 200
    time_machine.shift(timedelta(minutes=2))
    response = api(key).get(AREAS)
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]


def test_the_lifetime_is_a_setting(cast, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 1
    token, _key = issue_token(user=cast.worker)
    assert token.expires_at - token.created_at == timedelta(days=1)


def test_only_a_digest_is_stored_and_use_is_recorded(cast, django_capture_on_commit_callbacks):
    token, key = issue_token(user=cast.worker)
    assert token.digest == digest(key) and key not in {token.digest, token.prefix}
    assert token.last_used_at is None
    with django_capture_on_commit_callbacks(execute=True):
        api(key).get(AREAS)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api(key[:-1] + ("A" if key[-1] != "A" else "B")).get(AREAS).status_code == 401


def test_changing_the_password_revokes_every_token(cast, client_for):
    _token, key = issue_token(user=cast.worker)
    _other, second = issue_token(user=cast.worker)
    client = client_for(cast.worker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "qiaolou-2025-new", "new_password2": "qiaolou-2025-new"},
    )
    assert response.status_code == 302
    assert api(key).get(AREAS).status_code == 401
    assert api(second).get(AREAS).status_code == 401
    assert not ApiToken.objects.filter(user=cast.worker).exists()


def test_a_password_set_anywhere_revokes_them(cast):
    _token, key = issue_token(user=cast.worker)
    cast.worker.set_password("another-password-2026")  # e.g. a reset, the Django admin, changepassword
    cast.worker.save()
    assert api(key).get(AREAS).status_code == 401


def test_disabling_the_account_revokes_them(cast):
    _token, key = issue_token(user=cast.worker)
    _mine, admin_key = issue_token(user=cast.admin)
    cast.worker.is_active = False
    cast.worker.save()
    assert not ApiToken.objects.filter(user=cast.worker).exists()
    assert api(key).get(AREAS).status_code == 401
    assert api(admin_key).get(AREAS).status_code == 200  # others keep theirs


def test_signing_out_on_the_web_revokes_them(cast, client_for):
    _token, key = issue_token(user=cast.worker)
    _mine, admin_key = issue_token(user=cast.admin)
    response = client_for(cast.worker).post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert api(key).get(AREAS).status_code == 401
    assert api(admin_key).get(AREAS).status_code == 200  # others keep theirs


def test_bulk_disabling_revokes_them(cast):
    _token, key = issue_token(user=cast.worker)
    _mine, admin_key = issue_token(user=cast.admin)
    User.objects.filter(pk=cast.worker.pk).update(is_active=False)  # an admin action, a shell
    assert not ApiToken.objects.filter(user=cast.worker).exists()
    User.objects.filter(pk=cast.worker.pk).update(is_active=True)  # enabled again: the key stays dead
    assert api(key).get(AREAS).status_code == 401
    assert api(admin_key).get(AREAS).status_code == 200


def test_bulk_password_writes_revoke_them(cast):
    _token, key = issue_token(user=cast.worker)
    _other, other_key = issue_token(user=cast.resident)
    User.objects.filter(pk=cast.worker.pk).update(password=make_password("bulk-reset-2026"))
    assert api(key).get(AREAS).status_code == 401
    cast.resident.password = make_password("bulk-reset-2026")
    User.objects.bulk_update([cast.resident], ["password"])
    assert api(other_key).get("/api/gatherings/").status_code == 401


def test_other_bulk_writes_keep_them(cast):
    _token, key = issue_token(user=cast.worker)
    User.objects.filter(pk=cast.worker.pk).update(full_name="桥楼工作者")
    cast.worker.full_name = "桥楼"
    User.objects.bulk_update([cast.worker], ["full_name"])
    assert api(key).get(AREAS).status_code == 200


def test_other_saves_keep_the_tokens(cast):
    _token, key = issue_token(user=cast.worker)
    cast.worker.full_name = "桥楼工作者"
    cast.worker.save()
    assert api(key).get(AREAS).status_code == 200


def test_delete_at_the_endpoint_revokes_only_the_token_used(cast):
    _first, key = issue_token(user=cast.worker)
    _second, other = issue_token(user=cast.worker)
    assert api(key).delete("/api/auth/token/").status_code == 204
    assert api(key).get(AREAS).status_code == 401
    assert api(other).get(AREAS).status_code == 200


# --- the pages ------------------------------------------------------------------------------------------


def test_the_user_lists_and_revokes_their_own_tokens(cast, client_for):
    token, key = issue_token(user=cast.resident, name="居民小程序")
    client = client_for(cast.resident)
    page = client.get(MINE)
    assert page.status_code == 200
    body = page.content.decode()
    assert token.prefix in body and "居民小程序" in body
    assert key not in body  # the key is never shown again
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), {"next": MINE})
    assert response.status_code == 302 and response["Location"] == MINE
    assert api(key).get("/api/gatherings/").status_code == 401


def test_an_admin_revokes_a_users_token_from_the_users_page(cast, client_for):
    token, key = issue_token(user=cast.worker)
    admin = client_for(cast.admin)
    page = admin.get(reverse("accounts:user_detail", args=[cast.worker.pk]))
    assert token.prefix in page.content.decode()
    assert admin.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert api(key).get(AREAS).status_code == 401


@pytest.mark.parametrize("who", ["street_b", "resident", "auditor"])
def test_nobody_else_sees_or_revokes_them(who, cast, client_for):
    token, key = issue_token(user=cast.worker)
    client = client_for(getattr(cast, who))
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert api(key).get(AREAS).status_code == 200
    detail = client.get(reverse("accounts:user_detail", args=[cast.worker.pk]))
    assert token.prefix not in detail.content.decode()


def test_the_menu_links_to_the_page(cast, client_for):
    assert MINE in client_for(cast.resident).get(reverse("portal:home")).content.decode()
