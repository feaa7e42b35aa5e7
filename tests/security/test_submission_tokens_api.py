"""Double submission over the API: where a page's form carries a token (test_submission_tokens.py), the API
route creating the same record takes it as the body's `submission` — the same body with one token posted
three times answers the same record each time and writes one; without a token, every post creates.

The bodies are the controls of tests/security/writes.py (street A's official, street A's references)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import api_token
from tests.security import writes
from tests.security.test_cross_area_writes import (
    _post,
    create_routes,
    world,  # noqa: F401 (the fixture)
)

# API create routes whose records the web pages create with a token (route → what it creates)
TOKENED = {
    "agreement-list": "a co-building agreement",
    "service-item-list": "a community's need",
    "joint-meeting-list": "a joint meeting (its gathering's token)",
    "pairing-list": "a pairing",
    "consultation-list": "a consultation at a station",
    "matter-list": "a matter",
    "negotiation-list": "a negotiation",
    "campaign-list": "a campaign",
    "notice-list": "a notice",
}


@pytest.mark.parametrize("name", sorted(TOKENED))
def test_the_same_token_posted_three_times_gives_one_record(world, name):  # noqa: F811
    records, _b, a = world
    _field, body, who = (*writes.CREATES[name][0], "official")[:3]
    user = getattr(a, who)
    model = create_routes()[name].callback.cls.queryset.model
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    before = model.objects.count()
    data = body(records, a) | {"submission": f"client-token-{name}"}
    answers = [
        api.post(reverse(name), data=json.dumps(data), content_type="application/json") for _ in range(3)
    ]
    assert [r.status_code for r in answers] == [201] * 3, answers[0].content.decode()
    assert len({r.json()["id"] for r in answers}) == 1  # the repeat answers the record the first made
    assert model.objects.count() == before + 1
    _model, status, answer, written = _post(name, user, body(records, a))  # no token: another record
    assert status == 201 and written, answer
