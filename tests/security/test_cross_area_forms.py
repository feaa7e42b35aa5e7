"""Nobody writes, through a web page, a record that points at another area's record — proven over every web
page that takes a POST (tests/security/forms.py gives the bodies).

Street B's official posts a form whose one reference points at street A's record: the answer is the form
again with an error at that field, in Chinese, or a 404 — never a redirect after saving, never a 403 alone
— and no row of the project's tables is written or changed (a button without a form of its own — a step,
an action that redirects back — may say its refusal in the page's messages instead). Street A's official
posting the same form about street A's records (every reference inside) writes something: the control. A
web route taking a POST that is missing from forms.py fails `test_every_web_post_is_listed`."""

from __future__ import annotations

import inspect
import re

import pytest
from django import forms as django_forms
from django.apps import apps
from django.contrib import messages
from django.urls import reverse

from tests.security import edits, forms, writes
from tests.security.records import outsiders
from tests.security.routes import EXEMPT_PREFIXES
from tests.security.test_enumeration import enumerate_patterns

CJK = re.compile(r"[\u4e00-\u9fff]")
# tables a refused post may write: the audit trail of the request itself, sessions, sign-in attempts
UNWATCHED_APPS = {"audit", "auditlog", "sessions", "axes", "admin", "contenttypes", "django_tasks_database"}


def _methods_of(view) -> list[str] | None:
    """The methods a `require_http_methods` decorator allows (None without one)."""
    while view is not None:
        for cell in view.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(m, str) and m.isupper() for m in value)
            ):
                return list(value)
        view = getattr(view, "__wrapped__", None)
    return None


def takes_post(pattern) -> bool:
    """Whether a web route's view takes a POST: a class-based view with `post`, a view decorated to allow
    POST, or one whose code reads the posted data."""
    view = pattern.callback
    if getattr(view, "view_class", None) is not None:
        return hasattr(view.view_class, "post")
    methods = _methods_of(view)
    if methods is not None:
        return "POST" in methods
    source = inspect.getsource(inspect.unwrap(view))
    return bool(re.search(r"request\.(POST|FILES|method)", source))


def web_post_routes() -> dict[str, object]:
    return {
        name: pattern
        for route, name, pattern in enumerate_patterns()
        if name
        and not route.startswith("api/")
        and not any(route.startswith(p) for p in EXEMPT_PREFIXES)
        and takes_post(pattern)
    }


def test_every_web_post_is_listed():
    found = set(web_post_routes())
    tables = (forms.FORMS, forms.ALLOWED, forms.NO_REFERENCE, forms.EXEMPT, forms.NOT_SENT, forms.NOT_YET)
    listed = set().union(*tables)
    assert not found - listed, f"web POST routes not in tests/security/forms.py: {sorted(found - listed)}"
    assert not listed - found, (
        f"forms.py names routes that take no POST or no longer exist: {sorted(listed - found)}"
    )


def test_the_post_detection_sees_each_kind_of_view():
    routes = web_post_routes()
    assert "accounts:login" in routes  # a class-based view
    assert "gatherings:minutes" in routes  # require_POST
    assert "areas:edit" in routes  # reads request.method
    assert "portal:home" not in routes and "members:detail" not in routes


def _cases():
    for name, (kwargs, cases) in forms.FORMS.items():
        for case in cases:
            field, body, who = (*case, "official")[:3]
            yield pytest.param(name, kwargs, field, body, who, id=f"{name}:{field}")


@pytest.fixture
def sides(tree, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    b = writes.b_side(tree, outsiders(tree))
    a = writes.a_side(tree, cast)
    edits.furnish(b, "东城")
    edits.furnish(a, "青江")
    forms.furnish(b, "东城")
    forms.furnish(a, "青江")
    return a, b


def _fingerprint() -> dict:
    """Every row of the project's own tables (the audit trail and sessions aside)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED_APPS or not model.__module__.startswith("grassroots"):
            continue
        if model._meta.proxy:
            continue
        state[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return state


def _changes(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _values(context):
    """Every value of a rendered template's context (a Context, or a ContextList of them)."""
    for item in context if isinstance(context, list) else [context] if context is not None else []:
        for layer in item:
            yield from layer.values()


def _forms_in(context) -> list:
    found = []
    for value in _values(context):
        if isinstance(value, django_forms.BaseForm) and value not in found:
            found.append(value)
        elif isinstance(value, django_forms.BaseFormSet):
            found.extend(f for f in value.forms if f not in found)
    return found


def _field_errors(response, field: str) -> list[str]:
    """The messages at `field` of every form the answer rendered."""
    messages = []
    for form in _forms_in(response.context):
        if form.is_bound and field in form.errors:
            messages += [str(m) for m in form.errors[field]]
    return messages


def _error_messages(response) -> list[str]:
    """The error messages (django.contrib.messages) the request queued."""
    stored = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(stored, "_queued_messages", []) + list(getattr(stored, "_loaded_data", None) or [])
    return [str(m) for m in queued if m.level == messages.ERROR]


def _post(client_for, name, kwargs, who, side, body):
    client = client_for(getattr(side, who))
    url = reverse(name, kwargs=kwargs(side) if kwargs else None)
    before = _fingerprint()
    response = client.post(url, body, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return response, _changes(before, _fingerprint())


@pytest.mark.parametrize(("name", "kwargs", "field", "body", "who"), list(_cases()))
def test_a_form_pointing_at_another_area_is_refused(sides, client_for, name, kwargs, field, body, who):
    a, b = sides
    response, changed = _post(client_for, name, kwargs, who, b, body(a, b))
    assert not changed, f"{name}: {response.status_code}, wrote {changed}"
    status = response.status_code
    if status == 404:  # a 403 alone would prove nothing about the reference (the sender may not post here)
        return
    # the form again with the error at the field; a button without a form of its own (a step or an action
    # that redirects back): its refusal in the page's messages
    errors = _field_errors(response, field) if status in (200, 400) else []
    errors = errors or _error_messages(response)
    assert errors, f"{name}: {status} without an error at {field}"
    assert all(CJK.search(m) for m in errors), f"{name}: {errors}"


@pytest.mark.parametrize(("name", "kwargs", "field", "body", "who"), list(_cases()))
def test_the_same_form_from_inside_is_accepted(sides, client_for, name, kwargs, field, body, who):
    a, _b = sides
    response, changed = _post(client_for, name, kwargs, who, a, body(a, a))
    errors = {
        f: list(e) for form in _forms_in(response.context) if form.is_bound for f, e in form.errors.items()
    }
    assert changed, f"{name}: {response.status_code}, nothing written; errors {errors}"
