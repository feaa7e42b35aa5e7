"""Nobody outside an area reaches its records, proven over every route of the project.

The routes are enumerated from Django's resolver (recursively, the API router's included); tests/security/
routes.py says for each one which of street A's records it names, or that it names none (a page), or why it
is not requested. For each outsider — every role of the fixed cast placed in street B (records.outsiders) —
every record route of street A's records answers 404 to a read and to a write (405 where the method is not
the route's at all, for a page's view: decided before any record is looked at; the API's routes are asked
only with their own methods), never the record and never a server error; every
page answers without a server error and without any of street A's records on it. A route added without an
entry in routes.py fails `test_every_route_is_covered`."""

from __future__ import annotations

import json
import shutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import build_cast, build_tree
from tests.factories import api_token
from tests.module_data import built_for_the_module, fresh
from tests.security import routes
from tests.security.records import CANARY, outsiders, street_a_records

OUTSIDERS = [
    "street_b",
    "secretary_b",
    "worker_b",
    "grid_b",
    "member_b",
    "resident_b",
    "auditor_b",
    "admin_b",
]


def enumerate_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route text, full name, pattern) of every URL pattern, following includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from enumerate_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None, entry


def _api_parts(name: str) -> tuple[str, str] | None:
    """(basename, action) of an API router route named `<basename>-<action>`, or None for other names."""
    for basename in sorted(routes.API_RECORDS, key=len, reverse=True):
        if name.startswith(basename + "-"):
            return basename, name[len(basename) + 1 :]
    return None


def classify(route: str, name: str | None) -> str:
    """'record', 'page', 'api-list', 'api-record', 'exempt' — or 'uncovered'."""
    if any(route.startswith(p) for p in routes.EXEMPT_PREFIXES):
        return "exempt"
    if name is None:
        return "uncovered"
    if name in routes.EXEMPT:
        return "exempt"
    if name in routes.RECORD_ROUTES:
        return "record"
    if name in routes.PAGES:
        return "page"
    if route.startswith("api/") and _api_parts(name):
        # A route naming no record (the list, an action on the collection) is a list; the others name one.
        return "api-record" if "(?P<pk>" in route else "api-list"
    return "uncovered"


def test_every_route_is_covered():
    """A new route fails here until routes.py says which record it names (or why it is exempt)."""
    found = list(enumerate_patterns())
    uncovered = [
        f"{route} (name {name!r})" for route, name, _ in found if classify(route, name) == "uncovered"
    ]
    assert not uncovered, "routes not covered by tests/security/routes.py:\n" + "\n".join(uncovered)
    names = {name for _, name, _ in found}
    stale = (set(routes.RECORD_ROUTES) | routes.PAGES | set(routes.EXEMPT)) - names
    assert not stale, f"routes.py names routes that no longer exist: {sorted(stale)}"


def _call(client: Client, method: str, url: str, **extra):
    """(status, body) of one request; an exception the view raised is a server error."""
    try:
        if method in ("PUT", "PATCH"):
            response = getattr(client, method.lower())(
                url, data=json.dumps({"name": "x"}), content_type="application/json", **extra
            )
        else:
            response = getattr(client, method.lower())(url, **extra)
    except Exception as exc:  # a server error, reported with the others
        return 500, f"{type(exc).__name__}: {exc}"
    body = b"" if getattr(response, "streaming", False) else response.content
    return response.status_code, body.decode("utf-8", "replace")


def _methods(pattern) -> list[str]:
    """The HTTP methods a route answers: a viewset route's own (the others are refused by the router before
    any record is looked at); GET and POST for a page's view."""
    actions = getattr(pattern.callback, "actions", None)
    if not actions:
        return ["GET", "POST"]
    allowed = pattern.callback.cls.http_method_names
    return sorted(m.upper() for m in actions if m in allowed and m != "head")  # HEAD is GET's


def _requests(records):
    """(kind, method, url) of every request an outsider makes: record routes by each of their methods (a
    page's by GET and POST); pages by GET; the API's lists by GET and by an empty POST where they take one."""
    for route, name, pattern in enumerate_patterns():
        kind = classify(route, name)
        kwargs = {"format": "json"} if "format" in pattern.pattern.regex.groupindex else {}
        if kind == "record":
            url = reverse(name, kwargs={**kwargs, **routes.RECORD_ROUTES[name](records)})
            for method in _methods(pattern):
                yield "record", method, url
        elif kind == "page":
            for variant in routes.PAGE_VARIANTS.get(name, lambda: [{}])():
                yield "page", "GET", reverse(name, kwargs={**kwargs, **variant} or None)
        elif kind == "api-list":
            url = reverse(name, kwargs=kwargs or None)
            if "GET" in _methods(pattern):
                yield "page", "GET", url
            if "POST" in _methods(pattern):
                yield "api-write", "POST", url
        elif kind == "api-record":
            basename, _action = _api_parts(name)
            kwargs["pk"] = getattr(records, routes.API_RECORDS[basename]).pk
            kwargs.update(routes.API_EXTRA_KWARGS.get(name, lambda r: {})(records))
            if "name" in pattern.pattern.regex.groupindex:
                kwargs["name"] = "approve"
            url = reverse(name, kwargs=kwargs)
            for method in _methods(pattern):
                yield "record", method, url


def _judge(kind: str, method: str, status: int, body: str) -> str | None:
    """What is wrong with an answer, or None."""
    if status >= 500:
        return f"server error {status}: {body[:300]}"
    if kind == "record":
        if status not in (404, 405) or (status == 405 and method not in ("GET", "POST")):
            return f"{status} (expected 404)"
        if CANARY in body:
            return "shows street A's record"
        return None
    if kind == "api-write" and status < 300:
        return f"{status}: an outsider's write was accepted"
    if status == 200 and CANARY in body:
        return "shows street A's record"
    return None


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Street A's records and the outsiders, built once for the module (each test runs in its own
    savepoint: tests/module_data.py); their files in the module's own directory."""
    folder = tmp_path_factory.mktemp("enumeration-module", numbered=True)

    def build():
        tree = build_tree()
        return (street_a_records(tree, build_cast(tree)), outsiders(tree)), folder / "media"

    yield from built_for_the_module(
        django_db_blocker,
        build,
        MEDIA_ROOT=folder / "media",
        AUDIT_ANCHOR_FILE=folder / "audit-anchors.log",
    )


@pytest.fixture
def world(_world_of_the_module, db, settings, tmp_path):
    """(records, outsiders): the records as built (a test only reads their ids), the outsiders read again
    from the database; the records' files copied into this test's MEDIA_ROOT."""
    (records, people), media = _world_of_the_module
    settings.MEDIA_ROOT = tmp_path / "media"
    if media.exists():
        shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return records, fresh(people)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_an_outsider_reaches_no_record_of_another_area(world, role):
    records, people = world
    user = getattr(people, role)
    web = Client()
    web.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    failures, count, not_found = [], 0, {}
    for kind, method, url in _requests(records):
        client = api if url.startswith("/api/") else web
        status, body = _call(client, method, url)
        count += 1
        if kind == "record":
            not_found[url] = not_found.get(url, False) or status == 404
        problem = _judge(kind, method, status, body)
        if problem:
            failures.append(f"{method} {url}: {problem}")
    # A record route refusing every method with 405 would prove nothing: each answered 404 at least once.
    failures += [f"{url}: never answered 404" for url, seen in not_found.items() if not seen]
    assert count > 300  # every route was requested (the count grows with the routes)
    assert not failures, f"{role} ({len(failures)} of {count} requests):\n" + "\n".join(failures)
