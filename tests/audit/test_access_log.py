"""Every login, logout and failed login is logged with the username tried, the IP and the browser."""

from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from tests.factories import PASSWORD

BROWSER = "Mozilla/5.0 (iPhone) grassroots-test"


def login(client: Client, username: str, password: str = PASSWORD, ip: str = "10.1.2.3"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=ip,
    )


def test_a_successful_login_is_logged(cast, tree):
    response = login(Client(), "street_a")
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert event.user == cast.street_a
    assert event.username == "street_a"
    assert event.ip == "10.1.2.3"
    assert event.user_agent == BROWSER
    assert event.scope_path == tree.street_a.path


def test_a_resident_is_scoped_to_their_home(cast, tree):
    login(Client(), "resident")
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).scope_path == tree.courtyard_a.path


def test_a_wrong_password_is_logged_against_the_known_user(cast, tree):
    response = login(Client(), "street_a", password="wrong-password")
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.user == cast.street_a
    assert event.username == "street_a"
    assert event.ip == "10.1.2.3"
    assert event.scope_path == tree.street_a.path
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()


def test_an_unknown_username_is_logged_too(cast):
    login(Client(), "no-such-person", password="guess", ip="2001:db8::7")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.user is None
    assert event.username == "no-such-person"
    assert event.ip == "2001:db8::7"
    assert event.scope_path == ""


def test_an_inactive_account_is_a_failed_login(cast):
    cast.worker.is_active = False
    cast.worker.save()
    login(Client(), "worker")
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED).user == cast.worker


def test_the_proxy_address_is_used_when_the_proxy_is_trusted(cast, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": "worker", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1",
    )
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip == "203.0.113.9"


def test_a_forwarded_for_from_anyone_else_is_ignored(cast):
    Client().post(
        reverse("accounts:login"),
        {"username": "worker", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip == "198.51.100.7"


def test_a_garbage_address_is_not_stored(cast, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    Client().post(
        reverse("accounts:login"),
        {"username": "worker", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN).ip == "127.0.0.1"  # the last known hop


def test_logout_is_logged(cast, client_for):
    client = client_for(cast.secretary)
    response = client.post(reverse("accounts:logout"), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGOUT)
    assert event.user == cast.secretary
    assert event.user_agent == BROWSER


def test_logout_of_an_anonymous_visitor_logs_nothing(db):
    Client().post(reverse("accounts:logout"))
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT).exists()
