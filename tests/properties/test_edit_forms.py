"""Property: whatever is posted to the main *edit* forms, the answer is the record changed and still valid
(a redirect; no new row of its model; `full_clean()` passes) or the form again with a message and the record
as it was (nothing written) or a refusal — never a server error, never a half-written change.

Each record is made by posting its create form the way a careful user fills it (test_forms.py's right
values), then its edit page is read (the fields it renders, with the record's values: a masked phone
included, sent back as shown) and fuzzed like the create forms: a masked value sent back is never stored.
The 共治 partner's form is among them (its phone shown masked to every editor)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import event, given

from grassroots.cogov.models import Partner
from grassroots.core.coverage.models import Entity
from grassroots.core.members.models import Member
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from tests.properties.strategies import BOUNDED, rolled_back, row_counts
from tests.properties.test_forms import (
    _right_gathering,
    _right_member,
    form_fields,
    has_message,
    media_root,  # noqa: F401  (fixture)
    postings,
    right_value,
    street_a,  # noqa: F401  (fixture)
)


def _right_partner() -> dict:
    return {
        "entity": "",
        "party_org": "",
        "name": "桥楼中学",
        "kind": "school",
        "contact_phone": "13812345678",
    }


EDITS = [
    ("members:create", "members:edit", Member, _right_member),
    ("gatherings:create", "gatherings:edit", Gathering, _right_gathering),
    ("portal:notice_create", "portal:notice_edit", Notice, dict),
    ("coverage:entity_create", "coverage:entity_edit", Entity, lambda: {"party_org": "", "status": "none"}),
    ("cogov:partner_create", "cogov:partner_edit", Partner, _right_partner),
]


IDENTIFIERS = ("phone", "contact_phone", "id_number")


def made(client, create: str, model, right: dict):
    """A record made through its create form, as a careful user fills it."""
    url = reverse(create)
    fields = form_fields(client, url)
    data = {name: right_value(*spec) for name, spec in fields.items()} | right
    newest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, (url, response.status_code)
    return model.objects.filter(pk__gt=newest).get()


def snapshot(record) -> dict:
    fresh = type(record).objects.get(pk=record.pk)
    return {k: repr(v) for k, v in model_to_dict(fresh).items()}


def check_edit(client, url: str, data: dict, record) -> None:
    model = type(record)
    before, was = row_counts(), snapshot(record)
    try:
        response = client.post(url, data)
    except Exception as exc:  # the view raised: a server error
        pytest.fail(f"POST {url} {data!r} raised {type(exc).__name__}: {exc}")
    assert response.status_code < 500, (url, data)
    event(str(response.status_code))
    if response.status_code == 302:
        assert model.objects.count() == before[model._meta.label], (
            f"{url}: an edit made a new {model.__name__}"
        )
        saved = model.objects.get(pk=record.pk)
        saved.full_clean()  # what was saved passes the model's own validation
        for name in IDENTIFIERS:  # a masked value sent back never replaces the stored number
            assert "*" not in str(getattr(saved, name, "") or ""), f"{url} stored a masked {name}: {data!r}"
    else:
        wrote = set(row_counts().items()) - set(before.items())
        assert not wrote, f"{url} refused the posting but wrote {wrote}"
        assert snapshot(record) == was, f"{url} refused the posting but changed the record"
        if response.status_code == 200:
            assert has_message(response), f"{url} answered 200 without saying what is wrong: {data!r}"


@pytest.mark.parametrize(("create", "edit", "model", "right"), EDITS, ids=[e[1] for e in EDITS])
def test_an_edit_form_gives_a_valid_record_or_a_message(street_a, create, edit, model, right):  # noqa: F811
    record = made(street_a, create, model, right())
    url = reverse(edit, kwargs={"pk": record.pk})
    fields = form_fields(street_a, url)
    # what the edit page shows masked (a phone, an ID number) is sent back as shown, not as first typed
    kept = {k: v for k, v in right().items() if "*" not in (fields[k][2] if k in fields else "")}

    @BOUNDED
    @given(data=postings(fields, kept))
    def post(data):
        with rolled_back():
            check_edit(street_a, url, data, record)

    post()
