"""schemathesis against the OpenAPI schema, through the WSGI app (the real middleware, authentication and
database), as the root officials — the city official and the system admin, who see the most: whatever a
client sends to whatever operation, the answer is never a server error. Every filter parameter is validated
into a 400 on its field (e.g. `?year=0` was "year 0 is out of range", a 500).

Limited in examples (FUZZ_EXAMPLES, default 3 per operation) so that it runs in a couple of minutes; raise it
locally to search harder: `FUZZ_EXAMPLES=50 pytest tests/api/test_fuzz.py`."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from grassroots.wsgi import application
from tests.factories import make_party_org

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))


@pytest.fixture
def api_schema(cast, tree, settings):
    settings.MEDIA_ROOT = settings.BASE_DIR / "var" / "test-fuzz-media"
    committee = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=committee)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = (
    schemathesis.pytest.from_fixture("api_schema").exclude(
        path="/api/auth/token/"
    )  # signing in and out is not what is fuzzed here (and would revoke)
)


def _token(cast, role: str) -> str:
    token, _created = Token.objects.get_or_create(user=getattr(cast, role))
    return token.key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_server_error_as_the_city_official(case, cast):
    response = case.call(headers={"Authorization": f"Token {_token(cast, 'city')}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
    )


@schema.parametrize()
@settings(
    max_examples=max(1, EXAMPLES // 2),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_server_error_as_the_system_admin(case, cast):
    response = case.call(headers={"Authorization": f"Token {_token(cast, 'admin')}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
    )
