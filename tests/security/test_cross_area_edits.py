"""Nobody changes a record so that it points at another area's record, proven over every API route that
changes a record or takes a step on it (tests/security/edits.py gives the bodies).

Street B's official changes street B's record with a body whose one reference points at street A's record:
the answer is a 400 naming that field or a 404 (never a success, a 403 alone or a 5xx) and the record is left
as it was. Street A's official sending the same body about street A's record (every reference inside) is
accepted: the control. A record-write route missing from edits.py fails
`test_every_record_write_route_is_listed`."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.factories import api_token
from tests.security import edits, writes
from tests.security.records import outsiders
from tests.security.test_enumeration import _methods, classify, enumerate_patterns

WRITES = {"POST", "PUT", "PATCH"}


def record_write_routes() -> dict[str, object]:
    """route[:step] → pattern of every API route naming a record that takes a write; a workflow step with
    fields of its own (the viewset's transition_forms) is listed as `route:step`."""
    found = {}
    for route, name, pattern in enumerate_patterns():
        if classify(route, name) != "api-record" or not WRITES & set(_methods(pattern)):
            continue
        found[name] = pattern
        for step in (
            getattr(pattern.callback.cls, "transition_forms", {}) if name.endswith("-take-transition") else ()
        ):
            found[f"{name}:{step}"] = pattern
    return found


def test_every_record_write_route_is_listed():
    found = set(record_write_routes())
    listed = set(edits.EDITS) | set(edits.ALLOWED) | set(edits.NO_REFERENCE) | set(edits.NOT_YET)
    assert not found - listed, f"record-write routes not in tests/security/edits.py: {sorted(found - listed)}"
    assert not listed - found, f"edits.py names routes that no longer exist: {sorted(listed - found)}"


def _cases():
    for key, (method, record, cases) in edits.EDITS.items():
        for field, body in cases:
            yield pytest.param(key, method, record, field, body, id=f"{key}:{field}")


@pytest.fixture
def sides(tree, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    b = writes.b_side(tree, outsiders(tree))
    a = writes.a_side(tree, cast)
    edits.furnish(b, "东城")
    edits.furnish(a, "青江")
    return a, b


def _snapshot(record) -> tuple:
    model = type(record)
    row = model.objects.filter(pk=record.pk).values().first()
    fresh = model.objects.get(pk=record.pk)
    links = {
        f.name: sorted(getattr(fresh, f.name).values_list("pk", flat=True)) for f in model._meta.many_to_many
    }
    return row, links


def _send(key: str, method: str, user, record, body: dict):
    name, _, step = key.partition(":")
    kwargs = {"pk": record.pk} | ({"name": step} if step else {})
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    before = _snapshot(record)
    response = getattr(api, method.lower())(
        reverse(name, kwargs=kwargs), data=json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.content.decode(), _snapshot(record) != before


@pytest.mark.parametrize(("key", "method", "record", "field", "body"), list(_cases()))
def test_an_edit_pointing_at_another_area_is_refused(sides, key, method, record, field, body):
    a, b = sides
    status, answer, changed = _send(key, method, b.official, record(b), body(a, b))
    assert not changed, f"{key}: the record changed ({status} {answer})"
    if status == 400:
        assert field in json.loads(answer).get("errors", {}), f"{key}: 400 without naming {field}: {answer}"
    else:
        assert status == 404, f"{key}: {status} {answer}"


@pytest.mark.parametrize(("key", "method", "record", "field", "body"), list(_cases()))
def test_the_same_edit_from_inside_is_accepted(sides, key, method, record, field, body):
    a, _b = sides
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    status, answer, _changed = _send(key, method, a.official, record(a), body(a, a))
    assert status < 300, f"{key}: {status} {answer}"
    # the change log names the token's holder for every entry the write made (audit/actor.py), in every part
    actors = set(LogEntry.objects.filter(pk__gt=last).values_list("actor_id", flat=True))
    assert actors <= {a.official.pk}, f"{key}: change entries written without the token's holder: {actors}"
