"""Nobody creates a record that points at another area's record, proven over every API create route.

For each create route (a POST on an API list or on a collection action) tests/security/writes.py gives one
valid body per reference it takes, with that reference pointing at street A's record and everything else at
street B's; street B's official (who may create in street B) sends it. The answer must be a 400 naming that
field or a 404 — never a success, never a 403 alone (which would prove nothing about the reference), never a
5xx — and the created model's rows must not change. A create route missing from writes.py fails
`test_every_create_route_has_cross_area_bodies`."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.factories import Level, api_token, make_area
from tests.security import writes
from tests.security.records import outsiders, street_a_records
from tests.security.test_enumeration import _methods, classify, enumerate_patterns


def create_routes() -> dict[str, object]:
    """name → pattern of every API route that takes a POST without naming a record in its URL."""
    return {
        name: pattern
        for route, name, pattern in enumerate_patterns()
        if classify(route, name) == "api-list" and "POST" in _methods(pattern)
    }


def _cases():
    for name, cases in writes.CREATES.items():
        for case in cases:
            field, body, who = (*case, "official")[:3]
            yield pytest.param(name, field, body, who, id=f"{name}:{field}")


def test_every_create_route_has_cross_area_bodies():
    found = set(create_routes())
    listed = set(writes.CREATES) | set(writes.NO_REFERENCE) | set(writes.NOT_SENT)
    assert not found - listed, (
        f"create routes without cross-area bodies in writes.py: {sorted(found - listed)}"
    )
    assert not listed - found, f"writes.py names routes that no longer exist: {sorted(listed - found)}"


@pytest.fixture
def world(tree, cast, settings, tmp_path, today):
    settings.MEDIA_ROOT = tmp_path / "media"
    records = street_a_records(tree, cast)
    b = writes.b_side(tree, outsiders(tree))
    a = writes.a_side(tree, cast)
    # street A's records as the control needs them: a grid worker to rate, an in-service member without a
    # transfer under way, a branch's past meeting, an agency with a head, no cadre score yet
    records.grid_worker = a.grid_worker
    records.grid = tree.grid_a
    # a community of street A without a legal service station (community A has one)
    records.free_community = make_area("新设社区", Level.COMMUNITY, tree.street_a)
    records.member.in_service = True
    records.member.save(update_fields=["in_service"])
    records.transfer.delete()
    records.registration.delete()
    records.meeting = a.gathering
    records.meeting.party_org = records.branch
    records.meeting.save(update_fields=["party_org"])
    records.agency.head = cast.worker
    records.agency.save(update_fields=["head"])
    records.cadre_score.delete()
    records.partner.representatives.add(
        a.official
    )  # street A's representative commits for street A's partner
    return records, b, a


@pytest.mark.parametrize(("name", "field", "body", "who"), list(_cases()))
def test_a_body_pointing_at_another_area_is_refused(world, name, field, body, who):
    records, b, _a = world
    _model, status, answer, written = _post(name, getattr(b, who), body(records, b))
    assert not written, f"{name}: a row was written ({status} {answer})"
    if status == 400:
        assert field in json.loads(answer).get("errors", {}), f"{name}: 400 without naming {field}: {answer}"
    else:
        assert status == 404, f"{name}: {status} {answer}"


@pytest.mark.parametrize(("name", "field", "body", "who"), list(_cases()))
def test_the_same_body_from_inside_is_accepted(world, name, field, body, who):
    """The control: with every reference on street A's side, street A's official writes the row — so the
    refusal above is the reference's doing, not an invalid body's."""
    records, _b, a = world
    user = getattr(a, who)
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _model, status, answer, written = _post(name, user, body(records, a))
    assert status < 300 and written, f"{name}: {status} {answer}"
    # the change log names the token's holder for every entry the write made (audit/actor.py), in every part
    actors = set(LogEntry.objects.filter(pk__gt=last).values_list("actor_id", flat=True))
    assert actors <= {user.pk}, f"{name}: change entries written without the token's holder: {actors}"


def _post(name: str, user, body: dict):
    """(model, status, body, whether a row of the route's model was written) of one API create."""
    model = create_routes()[name].callback.cls.queryset.model
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    before = model.objects.count()
    response = api.post(reverse(name), data=json.dumps(body), content_type="application/json")
    return model, response.status_code, response.content.decode(), model.objects.count() != before
