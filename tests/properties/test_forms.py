"""Property: whatever is posted to the main forms, the answer is a valid record (a redirect, one new row that
passes the model's own validation) or the form again with a message (nothing written) or a refusal — never
a server error, never a half-written change.

The fields are read from the form the page renders (inputs, selects, textareas), so a field added to a form
is fuzzed too; each is drawn from its right values (the select's options, dates for a date input, the
page's own value) or from the garbage of strategies.py."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import models
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from grassroots.areas.models import Area, PartyOrg
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.coverage.models import Entity
from grassroots.core.duties.models import DutyTask
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import Member
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from tests.factories import make_party_org
from tests.properties.strategies import BOUNDED, garbage, rolled_back, row_counts, texts


class FormFields(HTMLParser):
    """The fields of the page's main form (the POST form with the most fields): name → (kind, options,
    value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {}
            self.forms.append(self._current)
        if self._current is None or not a.get("name"):
            if tag == "option" and self._select and self._current is not None:
                self._current[self._select][1].append(a.get("value", ""))
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self._current.setdefault(a["name"], (kind, [], a.get("value", "")))
            if kind in ("checkbox", "radio"):
                self._current[a["name"]][1].append(a.get("value", "on"))
        elif tag == "textarea":
            self._current[a["name"]] = ("textarea", [], "")
        elif tag == "select":
            self._current[a["name"]] = ("select-multiple" if "multiple" in a else "select", [], "")
            self._select = a["name"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._current = None

    def main_form(self) -> dict:
        return max(self.forms, key=len) if self.forms else {}


def form_fields(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormFields()
    parser.feed(response.content.decode())
    fields = parser.main_form()
    assert fields, f"no form on {url}"
    return fields


def value_of(kind: str, options: list[str], value: str):
    """A strategy for one field: its right values or garbage (None: the field is left out)."""
    now = timezone.localtime()
    right = {
        "date": st.dates().map(lambda d: d.isoformat()),
        "datetime-local": st.integers(-400, 400).map(
            lambda h: (now + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M")
        ),
        "number": st.integers(-(10**6), 10**6).map(str),
        "email": st.sampled_from(["a@example.com", "不是邮件"]),
        "tel": st.sampled_from(["13812345678", "12345"]),
        "hidden": st.just(value),
    }.get(kind)
    if kind in ("select", "radio", "checkbox", "select-multiple") and options:
        right = st.sampled_from(options)
    if right is None:
        right = st.one_of(st.just(value or "测试"), texts)
    if kind == "hidden":
        return right
    return st.one_of(right, right, garbage.map(lambda v: None if v is None else str(v)))


def right_value(kind: str, options: list[str], value: str) -> str | None:
    """The value a careful user gives a field (a form's own overrides win): the select's last option, a
    date a month ahead, the page's own value, a word; nothing for an empty multiple choice."""
    soon = timezone.localtime() + timedelta(days=30)
    if kind in ("select", "radio", "select-multiple"):
        chosen = [o for o in options if o]
        if not chosen and kind == "select-multiple":
            return None  # a list with nothing to choose is not sent (a browser sends no value)
        return chosen[-1] if chosen else ""
    if kind == "checkbox":
        return None
    return {
        "date": soon.date().isoformat(),
        "datetime-local": soon.strftime("%Y-%m-%dT%H:%M"),
        "number": value or "1",
    }.get(kind, value or "测试")


@st.composite
def postings(draw, fields: dict, right: dict) -> dict:
    """A right posting (`right` over each field's right value) with up to three fields changed: to another
    right value, to garbage, or left out."""
    data = {name: right_value(*spec) for name, spec in fields.items()} | right
    changed = draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True))
    for name in changed:
        data[name] = draw(value_of(*fields[name]))
    return {name: value for name, value in data.items() if value is not None}


def has_message(response) -> bool:
    """The answer carries a form with errors (or a message): the user is told what is wrong."""
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.errors:
                return True
    return bool(list(response.context.get("messages", []))) if response.context else False


def check_posting(client: Client, url: str, data: dict, model: type[models.Model]) -> None:
    before = row_counts()
    newest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        response = client.post(url, data)
    except Exception as exc:  # the view raised: a server error
        pytest.fail(f"POST {url} {data!r} raised {type(exc).__name__}: {exc}")
    assert response.status_code < 500, (url, data)
    event(str(response.status_code))
    if response.status_code == 302:
        created = list(model.objects.filter(pk__gt=newest))
        assert len(created) == 1, f"{url}: {len(created)} new {model.__name__} for one posting"
        created[0].full_clean()  # what was saved passes the model's own validation
    else:
        after = row_counts()
        wrote = set(after.items()) - set(before.items())
        assert not wrote, f"{url} refused the posting but wrote {wrote}"
        if response.status_code == 200:
            assert has_message(response), f"{url} answered 200 without saying what is wrong: {data!r}"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def street_a(cast, tree, media_root):
    """street_a, signed in, with a branch under 青江街道 for the members form and an admitted community
    affair for the duties form."""
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    make_party_org("第一网格党支部", tree.grid_a, parent=street)
    AdmittedAffair.objects.create(
        area=tree.street_a,
        name="高龄津贴认证",
        legal_basis="条例",
        department="民政局",
        valid_from=date(2020, 1, 1),
    )
    client = Client()
    client.force_login(cast.street_a)
    return client


def _right_member() -> dict:
    return {
        "name": "张三",
        "id_number": "51180219800501003X"[:17] + id_check_digit("51180219800501003"),
        "gender": "male",
        "birth_date": "1980-05-01",
        "phone": "13812345678",
        "branch": str(PartyOrg.objects.get(name="第一网格党支部").pk),
        "home_community": "",
        "home_area": "",
        "joined_probationary_on": "2005-07-01",
        "joined_full_on": "2006-07-01",
    }


def _right_gathering() -> dict:
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "kind": "meeting",
        "party_org": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "",
        "signup_deadline": "",
    }


FORMS = [
    ("members:create", Member, _right_member),
    ("gatherings:create", Gathering, _right_gathering),
    ("portal:notice_create", Notice, dict),
    ("coverage:entity_create", Entity, lambda: {"party_org": "", "status": "none"}),
    ("duties:task_create", DutyTask, dict),
]


@pytest.mark.parametrize(("name", "model", "right"), FORMS, ids=[f[0] for f in FORMS])
def test_a_main_form_gives_a_record_or_a_message(street_a, name, model, right):
    url = reverse(name)
    fields = form_fields(street_a, url)

    @BOUNDED
    @given(data=postings(fields, right()))
    def post(data):
        with rolled_back():
            check_posting(street_a, url, data, model)

    post()


def test_the_new_area_form_gives_an_area_or_a_message(street_a, tree):
    url = reverse("areas:create", kwargs={"pk": tree.community_a.pk})
    fields = form_fields(street_a, url)

    @BOUNDED
    @given(data=postings(fields, {}))
    def post(data):
        with rolled_back():
            check_posting(street_a, url, data, Area)

    post()
