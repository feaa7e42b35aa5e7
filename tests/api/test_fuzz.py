"""schemathesis against the OpenAPI schema, through the WSGI app (the real middleware, authentication and
database), as the root officials — the city official (every operation) and the system admin (every read),
who see the most: whatever a client sends to whatever operation, the answer is never a server error. Every
filter parameter is validated into a 400 on its field (e.g. `?year=0` was "year 0 is out of range", a 500).

Limited in examples (FUZZ_EXAMPLES, default 3 per operation) so that it runs in a couple of minutes; raise it
locally to search harder: `FUZZ_EXAMPLES=50 pytest tests/api/test_fuzz.py`."""

import json
import os

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from grassroots.wsgi import application
from tests.factories import api_token, make_party_org

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# One test per operation and role (about 160): minutes on an idle machine, far longer on a busy one. It runs
# when GRASSROOTS_FUZZ=1 (CI sets it); tests/api/test_filter_validation.py keeps the known cases in every run.
pytestmark = pytest.mark.skipif(not os.environ.get("GRASSROOTS_FUZZ"), reason="set GRASSROOTS_FUZZ=1 to fuzz")


def _load_schema():
    """The schema the API serves at /api/schema/, generated in-process (at collection, no database), with
    the calls going through the WSGI app."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    return loaded.exclude(path="/api/auth/token/")  # signing in and out is not fuzzed (and would revoke)


schema = _load_schema()


@pytest.fixture(autouse=True)
def data(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    committee = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=committee)


# one set of Hypothesis settings for both runs: a few derandomized examples per operation, no example database
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def call_as(case, cast, role: str) -> None:
    """Send the generated request with `role`'s token; any answer but a server error passes."""
    response = case.call(headers={"Authorization": f"Token {api_token(getattr(cast, role))}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
    )


@schema.parametrize()
@FUZZ
def test_no_server_error_as_the_city_official(case, cast):
    call_as(case, cast, "city")


@schema.include(method="GET").parametrize()
@FUZZ
def test_no_server_error_as_the_system_admin(case, cast):
    call_as(case, cast, "admin")
