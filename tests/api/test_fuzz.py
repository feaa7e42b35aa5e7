"""schemathesis against the OpenAPI schema, through the WSGI app (the real middleware, authentication and
database), as the root officials — the city official (every operation) and the system admin (every read),
who see the most: whatever a client sends to whatever operation, the answer is never a server error. Every
filter parameter is validated into a 400 on its field (e.g. `?year=0` was "year 0 is out of range", a 500).

The operations on one record (PATCH/PUT, a record's POST actions and its workflow steps) would meet only
404s with the ids Hypothesis draws, so they run once more against one record of every model
(tests/security/records.py): the generated `id` is replaced by that record's, and a step route is sent each
step its model declares, so edits and steps get past the lookup with whatever body the schema allows.

Limited in examples (FUZZ_EXAMPLES, default 3 per operation) so that it runs in a couple of minutes; raise it
locally to search harder: `FUZZ_EXAMPLES=50 pytest tests/api/test_fuzz.py`. FUZZ_PATHS (a regular
expression, searched in each operation's path) narrows all three tests to the operations it matches:
`FUZZ_PATHS='^/api/(campaigns|venues)/'`."""

import json
import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from grassroots.workflow.engine import transition_names
from grassroots.wsgi import application
from tests.factories import api_token, make_party_org
from tests.security.records import street_a_records

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
PATHS = os.environ.get("FUZZ_PATHS", "")
# One test per operation and role (about 160): minutes on an idle machine, far longer on a busy one. It runs
# when GRASSROOTS_FUZZ=1 (CI sets it); tests/api/test_filter_validation.py keeps the known cases in every run.
pytestmark = pytest.mark.skipif(not os.environ.get("GRASSROOTS_FUZZ"), reason="set GRASSROOTS_FUZZ=1 to fuzz")


def _load_schema():
    """The schema the API serves at /api/schema/, generated in-process (at collection, no database), with
    the calls going through the WSGI app."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    loaded = loaded.exclude(path="/api/auth/token/")  # signing in and out is not fuzzed (and would revoke)
    return loaded.exclude(_outside_paths) if PATHS else loaded


def _outside_paths(ctx) -> bool:
    """An operation whose path FUZZ_PATHS does not match. An exclusion, not an inclusion: schemathesis joins
    a schema's inclusions with OR, so a test's own `include(…)` would bring back every operation it selects
    (178 record routes under any FUZZ_PATHS); exclusions hold in every test."""
    return re.search(PATHS, ctx.operation.path) is None


schema = _load_schema()


@pytest.fixture(autouse=True)
def connection_kept():
    """The calls go to the WSGI app itself, not through Django's test client, so Django's request signals run
    `close_old_connections`: inside the test's transaction autocommit is off, which it takes for a connection
    left in a bad state, and closes it — on PostgreSQL the test's transaction is gone and the view meets a
    closed connection (a 503 from operations/middleware.py; SQLite's in-memory test database ignores the
    close). Disconnected for the test, as Django's test client does around each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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


def _model_of(path: str):
    """The model of the viewset that serves `path` (a record route, `{id}` filled)."""
    view = getattr(resolve(path.replace("{id}", "1").replace("{name}", "x")).func, "cls", None)
    return getattr(getattr(view, "queryset", None), "model", None)


@pytest.fixture
def records(tree, cast):
    return street_a_records(tree, cast)


@schema.include(method=["PATCH", "PUT", "POST"], path_regex=r"\{id\}").parametrize()
@FUZZ
def test_no_server_error_editing_a_record_or_taking_a_step(case, cast, records):
    """The city official edits street A's record of the route's model, or takes each of its steps."""
    model = _model_of(case.path)
    record = model._default_manager.order_by("pk").first() if model is not None else None
    if record is None:
        pytest.skip(f"no record of {case.path}")
    case.path_parameters["id"] = record.pk
    names = transition_names(model) if "{name}" in case.path else [None]
    for name in names:
        if name is not None:
            case.path_parameters["name"] = name
        call_as(case, cast, "city")
