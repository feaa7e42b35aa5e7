"""The demo accounts: one per role, at real places, logging in with the demo password over HTTP only while
DEBUG is on; generated residents."""

from django.test import Client

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level
from grassroots.demo.steps.users import DEMO_ACCOUNTS, demo_accounts


def login(username: str, password: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": password})
    return client


def logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


def test_every_role_has_a_demo_account(seeded):
    grants = RoleGrant.objects.filter(
        user__is_demo=True, user__username__in=[a.username for a in DEMO_ACCOUNTS]
    )
    assert set(grants.values_list("role", flat=True)) == set(Role.values)
    assert {a.role for a in demo_accounts()} == set(Role.values)
    for account in demo_accounts():
        user = User.objects.get(username=account.username)
        assert user.is_demo
        assert user.grants.filter(role=account.role).exists(), account


def test_demo_accounts_log_in_while_debug_is_on(seeded, settings):
    settings.DEBUG = True
    for account in demo_accounts():
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": account.username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.username
        assert logged_in_as(client) == account.username
    # A wrong password still fails: the test above is not passing for any password.
    assert logged_in_as(login("city", "not-the-demo-password")) is None


def test_demo_accounts_cannot_log_in_when_debug_is_off(seeded, settings):
    settings.DEBUG = False
    for i, account in enumerate(demo_accounts()):
        # Each from an address of its own: more than ten refusals from one address would lock it (axes).
        client = Client(REMOTE_ADDR=f"192.0.2.{i + 1}")
        response = client.post(
            "/accounts/login/", {"username": account.username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 200, account.username  # the form again, with its error
        assert logged_in_as(client) is None
    assert logged_in_as(login("res00001", settings.DEMO_PASSWORD)) is None  # from the usual address


def test_demo_admin_is_a_superuser_for_the_django_admin(seeded, settings):
    settings.DEBUG = True
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    client = Client()
    assert (
        client.post(
            "/django-admin/login/", {"username": "admin", "password": settings.DEMO_PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/django-admin/").status_code == 200
    assert not User.objects.filter(is_demo=True, is_superuser=True).exclude(username="admin").exists()


def grant_area(username: str, role: str) -> Area:
    return RoleGrant.objects.select_related("area").get(user__username=username, role=role).area


def test_demo_accounts_sit_at_real_places(seeded):
    assert grant_area("city", Role.CITY_OFFICIAL).code == "511800"
    assert grant_area("auditor", Role.AUDITOR).code == "511800"
    assert grant_area("admin", Role.SYSTEM_ADMIN).code == "511800"
    county = grant_area("county", Role.COUNTY_OFFICIAL)
    assert (county.code, county.name) == ("511802", "雨城区")
    street = grant_area("street", Role.STREET_OFFICIAL)
    assert (street.code, street.name) == ("511802001", "东城街道")
    assert grant_area("mediator", Role.MEDIATOR) == street
    community = grant_area("secretary", Role.COMMUNITY_SECRETARY)
    assert (community.code, community.name, community.level) == (
        "511802001001",
        "东大街社区",
        Level.COMMUNITY,
    )
    for username, role in [
        ("worker", Role.COMMUNITY_WORKER),
        ("resident", Role.RESIDENT),
        ("member", Role.MEMBER),
        ("partner", Role.PARTNER_REP),
        ("lawyer", Role.LEGAL_WORKER),
    ]:
        assert grant_area(username, role) == community, username
    grid = grant_area("grid", Role.GRID_WORKER)
    assert grid.level == Level.GRID and grid.path.startswith(community.path)
    for username in ("resident", "member"):
        user = User.objects.select_related("home_area").get(username=username)
        assert user.home_area.path.startswith(grid.path)
        assert user.home_area.level in (Level.COURTYARD, Level.BUILDING)
        assert user.identity_verified


def test_generated_residents(seeded):
    residents = User.objects.filter(username__startswith="res", is_demo=True).exclude(username="resident")
    assert residents.count() == 300
    verified = residents.exclude(verified_at=None).count()
    assert 0 < verified < 300
    assert not residents.filter(home_area=None).exists()
    assert set(residents.values_list("home_area__level", flat=True)) <= {Level.COURTYARD, Level.BUILDING}
    # Each resident holds the resident role on the community their home lies in.
    for user in residents.select_related("home_area")[:100]:
        (grant,) = user.grants.select_related("area")
        assert grant.role == Role.RESIDENT and grant.area.level == Level.COMMUNITY
        assert user.home_area.path.startswith(grant.area.path)
    community = Area.objects.get(code="511802001001")
    assert residents.filter(home_area__path__startswith=community.path).count() >= 20
    # Phone numbers are in the unassigned 100 block.
    assert all(p.startswith("100") and len(p) == 11 for p in residents.values_list("phone", flat=True))
