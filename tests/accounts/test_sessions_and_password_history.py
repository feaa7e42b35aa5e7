"""An account holds at most SESSIONS_PER_ACCOUNT web sessions: signing in once more ends the oldest (its
browser is signed out at its next request); signing out frees the place. A new password may not be the current
one or one of the last PASSWORD_HISTORY_COUNT: refused at the field with a Chinese message."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.accounts.models import AccountSession, UsedPassword
from tests.factories import PASSWORD

PAGE = "/privacy/mine/"


def signed_in(client) -> bool:
    return client.get(PAGE).status_code == 200


def test_signing_in_beyond_the_limit_ends_the_oldest_session(cast, client_for, settings):
    settings.SESSIONS_PER_ACCOUNT = 2
    first, second = client_for(cast.resident), client_for(cast.resident)
    assert signed_in(first) and signed_in(second)
    third = client_for(cast.resident)
    assert not signed_in(first)  # the oldest ended
    assert signed_in(second) and signed_in(third)
    assert AccountSession.objects.filter(user=cast.resident).count() == 2
    other = client_for(cast.worker)  # another account's sessions do not count
    assert signed_in(other) and signed_in(second)

    third.post(reverse("accounts:logout"))  # signing out frees its place
    assert AccountSession.objects.filter(user=cast.resident).count() == 1
    fourth = client_for(cast.resident)
    assert signed_in(second) and signed_in(fourth)


def test_no_limit_when_the_setting_is_zero(cast, client_for, settings):
    settings.SESSIONS_PER_ACCOUNT = 0
    clients = [client_for(cast.resident) for _ in range(4)]
    assert all(signed_in(c) for c in clients)


def change(client, old: str, new: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_last_passwords_cannot_be_chosen_again(cast, client_for, settings):
    settings.PASSWORD_HISTORY_COUNT = 3
    user = cast.resident
    client = client_for(user)
    response = change(client, PASSWORD, PASSWORD)  # the current one
    assert response.status_code == 200
    assert "不能使用最近 3 次用过的密码" in response.content.decode()
    current = PASSWORD
    for new in ("qiaolou-first-1", "qiaolou-second-2"):
        assert change(client, current, new).status_code == 302
        current = new
    user.refresh_from_db()
    for used in (PASSWORD, "qiaolou-first-1", "qiaolou-second-2"):
        try:
            validate_password(used, user)
        except ValidationError as exc:
            assert [e.code for e in exc.error_list] == ["password_reused"]
        else:
            raise AssertionError(f"{used} was accepted again")
    validate_password("qiaolou-brand-new-3", user)
    assert change(client, current, "qiaolou-third-3").status_code == 302
    user.refresh_from_db()
    validate_password(PASSWORD, user)  # now four passwords ago: allowed
    assert UsedPassword.objects.filter(user=user).count() == 3
    assert not any(PASSWORD in row.password for row in UsedPassword.objects.all())  # hashes only
