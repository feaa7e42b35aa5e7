"""The system admin lifts sign-in lockouts (/accounts/lockouts/), inside their scope only; Django admin lists
axes' records too."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from tests.factories import PASSWORD, make_user

LOGIN = reverse("accounts:login")
PAGE = reverse("accounts:lockouts")
UNLOCK = reverse("accounts:lockout_unlock")


def lock(username: str, settings, address: str = "10.3.3.3") -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": "wrong-guess"})


def can_sign_in(username: str) -> bool:
    response = Client(REMOTE_ADDR="10.4.4.4").post(LOGIN, {"username": username, "password": PASSWORD})
    return response.status_code == 302


def test_the_admin_sees_and_lifts_a_lock(cast, settings, client_for):
    lock("worker", settings)
    assert not can_sign_in("worker")
    admin = client_for(cast.admin)
    page = admin.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "worker" in body and "10.3.3.3" in body  # the account, and the address (a city-wide admin)
    response = admin.post(UNLOCK, {"kind": "username", "value": "worker"})
    assert response.status_code == 302
    assert can_sign_in("worker")
    entry = LogEntry.objects.filter(object_pk=str(cast.worker.pk), actor=cast.admin).latest("timestamp")
    assert "sign_in_lock:username:worker" in entry.changes_dict


def test_a_second_lock_is_longer_and_an_unlock_forgets_that(cast, settings, client_for, time_machine):
    time_machine.move_to("2026-03-02 09:00 +08:00", tick=False)
    lock("worker", settings)
    time_machine.shift(settings.AXES_COOLOFF_TIME * 1.5)
    lock("worker", settings, "10.5.5.5")
    time_machine.shift(settings.AXES_COOLOFF_TIME * 1.5)  # past 15 minutes, within the second lock's 30
    admin = client_for(cast.admin)
    assert "worker" in admin.get(PAGE).content.decode()  # the page shows it still
    admin.post(UNLOCK, {"kind": "username", "value": "worker"})
    lock("worker", settings, "10.6.6.6")
    answer = Client(REMOTE_ADDR="10.4.4.4").post(LOGIN, {"username": "worker", "password": PASSWORD})
    assert answer["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))  # short again


def test_an_address_lock_is_lifted_too(cast, settings, client_for):
    lock("nobody-at-all", settings, address="10.5.5.5")
    assert (
        Client(REMOTE_ADDR="10.5.5.5")
        .post(LOGIN, {"username": "secretary", "password": PASSWORD})
        .status_code
        == 429
    )
    client_for(cast.admin).post(UNLOCK, {"kind": "ip", "value": "10.5.5.5"})
    assert (
        Client(REMOTE_ADDR="10.5.5.5")
        .post(LOGIN, {"username": "secretary", "password": PASSWORD})
        .status_code
        == 302
    )


def test_an_admin_of_one_street_sees_only_their_users(tree, cast, settings, client_for):
    admin_b = make_user("admin_b", Role.SYSTEM_ADMIN, tree.street_b)
    outsider = make_user("resident_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    lock("worker", settings)  # street A's
    lock(outsider.username, settings, address="10.8.8.8")
    client = client_for(admin_b)
    body = client.get(PAGE).content.decode()
    assert "resident_b" in body
    assert "worker" not in body and "10.3.3.3" not in body  # another street's account; addresses: city only
    assert client.post(UNLOCK, {"kind": "username", "value": "worker"}).status_code == 404
    assert client.post(UNLOCK, {"kind": "ip", "value": "10.3.3.3"}).status_code == 404
    assert not can_sign_in("worker")


@pytest.mark.parametrize("who", ["street_a", "secretary", "auditor", "resident"])
def test_only_system_admins_have_the_page(who, cast, client_for):
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(UNLOCK, {"kind": "username", "value": "worker"}).status_code == 403


def test_the_user_list_links_to_it_for_admins(cast, client_for):
    assert PAGE in client_for(cast.admin).get(reverse("accounts:user_list")).content.decode()
    assert PAGE not in client_for(cast.street_a).get(reverse("accounts:user_list")).content.decode()


def test_django_admin_lists_axes_records(cast, settings):
    lock("worker", settings)
    type(cast.admin).objects.filter(pk=cast.admin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.post(LOGIN, {"username": "admin", "password": PASSWORD})
    response = client.get("/django-admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "worker" in response.content.decode()


def test_a_street_admin_exports_the_locks_of_their_street(tree, cast, settings, client_for):
    from tests.imports.helpers import read_xlsx

    admin_a = make_user("admin_a", Role.SYSTEM_ADMIN, tree.street_a)
    outsider = make_user("resident_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    lock("worker", settings)
    lock(outsider.username, settings, address="10.8.8.8")
    client = client_for(admin_a)
    assert 'data-export="accounts-lockouts"' in client.get(PAGE).content.decode()
    export = reverse("imports:list_export", args=["accounts-lockouts"])
    rows = read_xlsx(b"".join(client.post(export).streaming_content))["登录锁定"]
    assert rows[0] == ["类型", "锁定对象", "失败次数", "最近一次"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("账号", f"{cast.worker.display_name} (worker)", settings.AXES_FAILURE_LIMIT)
    ]  # neither street B's account nor an address (those are the city-wide admin's)
    # who holds accounts.change without being a system admin gets 403, as on the page
    assert client_for(cast.secretary).post(export).status_code == 403
