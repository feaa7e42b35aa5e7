"""The `Idempotency-Key` header on the API's creates (grassroots/api/idempotency.py, docs/api.md "Repeated
posts"): through the real API client with a token, a repeat with the same key by the same user answers the
first record (201 both times, one row), on every create of a tokened model; the key is the caller's own — an
official of another street sending it gets nothing of street A's; a malformed key, a key where it means
nothing, or a body naming another token is a 400 naming the field. Every create of a tokened model shows the
header in the OpenAPI schema."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from grassroots.api.idempotency import HEADER, IdempotencyKeyMixin
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair
from grassroots.core.assessments.models import Inspection
from tests.concurrency import race, server_db_only
from tests.factories import api_token, make_user
from tests.security import test_cross_area_writes, writes
from tests.security.test_cross_area_writes import create_routes

world = test_cross_area_writes.world  # the fixture: street A's records, street B's side


def _model(pattern):
    queryset = pattern.callback.cls.queryset
    return queryset.model if queryset is not None else None  # exports: a job of the caller's, no model


def _tokened_creates() -> dict[str, object]:
    """route name → pattern of every API create (POST on a list) of a model that keeps a submission token."""
    return {
        name: pattern
        for name, pattern in create_routes().items()
        if pattern.callback.actions.get("post") == "create"
        and _model(pattern) is not None
        and any(f.name == "submission" for f in _model(pattern)._meta.concrete_fields)
    }


# creates on a tokened model's route that write something else (their own natural key rules)
OTHER_RECORDS = {"campaign-vote-list": "casts the caller's ballot (one per voter: voting_turnout_voter)"}
TOKENED = sorted(set(_tokened_creates()) - set(OTHER_RECORDS))
# county-level creates (writes.NOT_SENT: one county in the fixed tree): proven by their own test below
COUNTY = {"admitted-affair-list": "affair", "admission-request-list": "request"}
WITH_BODIES = [name for name in TOKENED if name not in COUNTY]
# creates whose record also has a natural key: another key for the same body gives the same record
ONE_PER_BODY = {"orglife-report-list": "one report per gathering (start_report)"}


def test_every_create_of_a_tokened_model_takes_the_header_and_shows_it():
    assert len(TOKENED) >= 15, TOKENED
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for name in TOKENED:
        pattern = _tokened_creates()[name]  # its viewset applies the header
        assert issubclass(pattern.callback.cls, IdempotencyKeyMixin), name
        operation = schema["paths"][reverse(name)]["post"]
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        assert [p["name"] for p in headers] == [HEADER], name
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        properties = components[body["$ref"].rsplit("/", 1)[1]]["properties"]
        assert "submission" in properties, f"{name}: its input takes no submission token"
        assert name in writes.CREATES or name in COUNTY, f"{name}: no body in writes.py to prove the repeat"


def _post(user, name: str, body: dict, key: str | None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api.post(reverse(name), data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("name", WITH_BODIES)
def test_the_same_key_posted_twice_writes_one_record(world, name):
    records, b, a = world
    _field, body, who = (*writes.CREATES[name][0], "official")[:3]
    user = getattr(a, who)
    model = _model(_tokened_creates()[name])
    before = model.objects.count()
    key = str(uuid.uuid4())
    first = _post(user, name, body(records, a), key)
    again = _post(user, name, body(records, a), key)
    assert first.status_code == again.status_code == 201, (first.content, again.content)
    assert first.json()["id"] == again.json()["id"]
    assert model.objects.count() == before + 1
    assert model.objects.filter(submission=key).count() == 1
    # the outsider of street B sending street A's key gets nothing of street A's and writes nothing
    outsider = _post(getattr(b, who), name, body(records, b), key)
    assert outsider.status_code in (400, 404), outsider.content
    assert set(outsider.json()) == {"detail", "code", "errors"}  # an error, never street A's record
    assert model.objects.count() == before + 1
    # another key: another record (or the same, where the body is a natural key)
    assert _post(user, name, body(records, a), str(uuid.uuid4())).status_code == 201
    assert model.objects.count() == before + (1 if name in ONE_PER_BODY else 2)


def _inspection(area) -> dict:
    return {"area": area.pk, "title": "三会一课专项督察", "inspected_on": str(timezone.localdate())}


def test_a_key_is_looked_up_among_the_callers_own_records_only(cast, tree):
    key = "shared-key-0001"
    mine = _post(cast.street_a, "inspection-list", _inspection(tree.community_a), key)
    theirs = _post(cast.street_b, "inspection-list", _inspection(tree.community_b), key)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]  # street B's official got their own, not street A's
    assert theirs.json()["area"] == tree.community_b.pk
    # the same key with a body naming street A's area: refused at the field, street A's record not shown
    refused = _post(cast.street_b, "inspection-list", _inspection(tree.community_a), "shared-key-0002")
    assert refused.status_code == 400 and "area" in refused.json()["errors"]
    assert Inspection.objects.filter(submission=key).count() == 2


def test_the_header_and_the_body_agree_or_the_request_is_refused(cast, tree):
    body = _inspection(tree.community_a)
    refused = _post(cast.street_a, "inspection-list", body | {"submission": "other-token"}, "header-key-01")
    assert refused.status_code == 400 and "submission" in refused.json()["errors"]
    assert not Inspection.objects.exists()
    same = _post(cast.street_a, "inspection-list", body | {"submission": "header-key-01"}, "header-key-01")
    assert same.status_code == 201 and Inspection.objects.get().submission == "header-key-01"
    # the body's token alone keeps working, and finds the record the header made
    again = _post(cast.street_a, "inspection-list", body | {"submission": "header-key-01"}, None)
    assert again.json()["id"] == same.json()["id"] and Inspection.objects.count() == 1


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"text"', "7"])
def test_a_keyed_post_whose_body_is_not_an_object_is_refused_not_a_server_error(cast, body):
    # found by the fuzz test at CI: `{**data}` on a list was a 500
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(cast.street_a)}", HTTP_IDEMPOTENCY_KEY="a-good-key-1")
    response = api.post("/api/inspections/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "有中文的幂等键一二三", "with space in it", "semi;colon1", "slash/ok/no1"]
)
def test_a_malformed_key_is_refused_with_a_clear_message(cast, tree, key):
    response = _post(
        cast.street_a, "inspection-list", _inspection(tree.community_a), key.encode().decode("latin-1")
    )
    assert response.status_code == 400
    assert "8 至 64" in response.json()["errors"][HEADER][0]
    assert not Inspection.objects.exists()


def test_the_key_is_refused_where_it_means_nothing(cast, tree):
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(cast.street_a)}", HTTP_IDEMPOTENCY_KEY="a-good-key-1")
    listing = api.get("/api/inspections/")
    assert listing.status_code == 400 and HEADER in listing.json()["errors"]
    # a create of a model without a token (its natural key rules): the header would promise nothing
    county = make_user("county_idem", "county_official", tree.county)
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(county)}", HTTP_IDEMPOTENCY_KEY="a-good-key-1")
    response = api.post("/api/areas/", data="{}", content_type="application/json")
    assert response.status_code == 400 and HEADER in response.json()["errors"]


@pytest.mark.parametrize(
    ("name", "model", "area"),
    [
        ("admitted-affair-list", AdmittedAffair, "county"),
        ("admission-request-list", AdmissionRequest, "street_a"),
    ],
)
def test_a_create_through_the_viewsets_own_serializer_takes_the_key(tree, name, model, area):
    """The catalog creates with CreateModelMixin (get_serializer), not input_of: the same rule."""
    county = make_user("county_idem", "county_official", tree.county)
    body = {
        "area": getattr(tree, area).pk,
        "name": "退役军人信息采集",
        "department": "退役军人事务局",
        "legal_basis": "《退役军人保障法》",
        "justification": "社区熟悉情况。",
        "powers": "信息采集、走访慰问",
        "funds_per_community": "2000",
        "valid_from": "2025-01-01",
    }
    answers = [_post(county, name, body, "catalog-key-001") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201], answers[0].content
    assert answers[0].json()["id"] == answers[1].json()["id"] and "submission" not in answers[0].json()
    assert model.objects.filter(name="退役军人信息采集").count() == 1


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_six_posts_with_one_key_at_once_write_one_record(cast, tree):
    """The header under a race (PostgreSQL): one inspection, every post answered 201 with it."""
    answers: list = []

    def post(_i):
        body = _inspection(tree.community_a)
        answers.append(_post(cast.street_a, "inspection-list", body, "raced-key-0001"))

    assert race(post, range(6)) == ["ok"] * 6
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1 and Inspection.objects.count() == 1
