"""The fixed cast every permission test knows by name.

雅安市 (city)
└── 雨城区 (county)
    ├── 青江街道 (street A)
    │   └── 桥楼社区 (community A1)
    │       └── 第一网格 (grid A1g) └── 一号院落 (courtyard A1c)
    └── 东城街道 (street B)
        └── 育才社区 (community B1)

city      city official on 雅安市
street_a  street official on 青江街道          (the owner of most test records)
street_b  street official on 东城街道          (the outsider: must get 404 for A's records)
secretary community secretary on 桥楼社区
worker    community worker on 桥楼社区
resident  resident living in 一号院落
auditor   auditor on 雅安市
admin     system admin on 雅安市
"""

import os
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from grassroots.accounts.roles import Role
from tests.factories import PASSWORD, Level, make_area, make_user


def pytest_configure(config):
    """`GRASSROOTS_TEST_CLOCK=2026-12-31T23:30+08:00 pytest` runs the suite as if it were then (its clock
    ticks on from there). CI runs the suite at the turn of a year and on a leap day this way, so that a test
    whose outcome depends on today's date fails in CI, not in December. Tests about dates pin their own
    moment with time-machine's `time_machine.move_to(...)`, which wins over this one."""
    moment = os.environ.get("GRASSROOTS_TEST_CLOCK")
    if moment:
        traveller = time_machine.travel(datetime.fromisoformat(moment), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """Tests that commit (transactional_db, live_server, `django_db(transaction=True)`) may query the read
    replica (tests/settings.py: the alias `replica`, a test mirror of `default`): outside a transaction the
    dashboard and the exports read through it (grassroots/replica.py). Tests inside a test case's
    transaction read on `default` only; a query on `replica` there fails loudly (Django's databases check)."""
    from pytest_django.fixtures import validate_django_db

    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        if marker is None and not fixtures & TRANSACTIONAL_FIXTURES:
            continue
        transaction, reset_sequences, databases, serialized_rollback, available_apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        if not (transaction or reset_sequences or fixtures & TRANSACTIONAL_FIXTURES):
            continue
        if databases == "__all__":
            continue
        wanted = sorted({*(databases or ("default",)), "replica"})
        item.add_marker(
            pytest.mark.django_db(
                transaction=transaction,
                reset_sequences=reset_sequences,
                databases=wanted,
                serialized_rollback=serialized_rollback,
                available_apps=available_apps,
            ),
            append=False,
        )


# The moment tests about dates pin the clock at: a Tuesday morning in May, away from the turn of a year, a
# quarter and a month, and from the hours where Beijing's date differs from UTC's.
A_WORKDAY = datetime(2026, 5, 12, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def today(time_machine) -> date:
    """Pin the clock at A_WORKDAY (ticking on from there) and return that day. Tests whose expectations are
    written in days and years ("due in 30 days", "this year's list") take this fixture."""
    time_machine.move_to(A_WORKDAY, tick=True)
    return A_WORKDAY.date()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's cost is for production; the cast's eight logins per test should not take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_audit_anchor_file(settings, tmp_path_factory):
    """The clock's anchor of the audit chain's head (audit.anchor_head) goes to a file of this test: a head
    recorded by an earlier test's (rolled back) database would read as a cut tail."""
    settings.AUDIT_ANCHOR_FILE = tmp_path_factory.mktemp("anchors", numbered=True) / "audit-anchors.log"


def build_tree() -> SimpleNamespace:
    """The areas of the fixed cast (the module docstring's tree)."""
    city = make_area("雅安市", Level.CITY, code="511800")
    county = make_area("雨城区", Level.COUNTY, city, code="511802")
    street_a = make_area("青江街道", Level.STREET, county, code="511802001")
    street_b = make_area("东城街道", Level.STREET, county, code="511802002")
    community_a = make_area("桥楼社区", Level.COMMUNITY, street_a, code="511802001001")
    community_b = make_area("育才社区", Level.COMMUNITY, street_b, code="511802002001")
    grid_a = make_area("第一网格", Level.GRID, community_a)
    courtyard_a = make_area("一号院落", Level.COURTYARD, grid_a)
    return SimpleNamespace(
        city=city,
        county=county,
        street_a=street_a,
        street_b=street_b,
        community_a=community_a,
        community_b=community_b,
        grid_a=grid_a,
        courtyard_a=courtyard_a,
    )


def build_cast(tree) -> SimpleNamespace:
    """The users of the fixed cast, on `tree`'s areas."""
    return SimpleNamespace(
        city=make_user("city", Role.CITY_OFFICIAL, tree.city),
        street_a=make_user("street_a", Role.STREET_OFFICIAL, tree.street_a),
        street_b=make_user("street_b", Role.STREET_OFFICIAL, tree.street_b),
        secretary=make_user("secretary", Role.COMMUNITY_SECRETARY, tree.community_a),
        worker=make_user("worker", Role.COMMUNITY_WORKER, tree.community_a),
        resident=make_user("resident", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a),
        auditor=make_user("auditor", Role.AUDITOR, tree.city),
        admin=make_user("admin", Role.SYSTEM_ADMIN, tree.city),
    )


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def cast(tree):
    return build_cast(tree)


@pytest.fixture
def client_for(db):
    """client_for(user) → a test client logged in as that user (through the real login view)."""

    def login(user) -> Client:
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, "login failed for " + user.username
        return client

    return login


@pytest.fixture
def api_for(db):
    """api_for(user) → a DRF client carrying a fresh API token of that user (`Authorization: Token …`), the
    way an integration calls the API."""
    from rest_framework.test import APIClient

    from tests.factories import api_token

    def client(user) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        return api

    return client
