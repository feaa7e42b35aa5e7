"""A link is shown only to those who may follow it: signed in as every demo role, on the whole demo (tier S),
crawl breadth-first from the home page — the menu is on it — to the pages those pages link to, GET only, and
find no 403, 404, 405 or 500.

Bounded: two levels below the home page, one page per shape of URL (/members/12/ and /members/13/ are one
shape, and so are a list's filters and pages: the names of a query's parameters count, not their values), and
MAX_PAGES per role. Links that leave the site,
download a file, export, or sign out are not followed."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from grassroots.demo.steps.users import demo_accounts
from tests.demo.conftest import whole_demo  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("whole_demo")

DEPTH = 2
MAX_PAGES = 200
HREF = re.compile(r'<a\b[^>]*?\shref="([^"#][^"]*)"')
SKIP = re.compile(
    r"logout|download|export|/files/|/media/|/static/|/django-admin/|/api/schema|\.xlsx|\.csv|\.pdf|/i18n/"
)


def shape(url: str) -> str:
    """/members/12/?state=open&page=3 → /members/N/?page&state: a list's filters and pages are one shape."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def links_of(html: str, base: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        href = unescape(raw)
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(local):
            found.append(local)
    return found


def crawl(client: Client) -> tuple[int, dict[str, tuple[int, str]]]:
    """(pages visited, {url: (status, the page that linked it)} of every refusal or error met)."""
    seen_shapes = {shape("/")}
    queue = deque([("/", 0, "")])
    refused: dict[str, tuple[int, str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url, depth, source = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlsplit(target).path.startswith("/accounts/login"):
                refused[url] = (302, source)  # sent to sign in again: a refusal in disguise
            continue
        if response.status_code != 200:
            refused[url] = (response.status_code, source)
            continue
        if depth >= DEPTH or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(response.content.decode(), url):
            if shape(link) not in seen_shapes:
                seen_shapes.add(shape(link))
                queue.append((link, depth + 1, url))
    return visited, refused


@pytest.mark.parametrize("username", [account.username for account in demo_accounts()])
def test_no_link_of_any_role_leads_to_a_refusal(db, settings, username):
    settings.DEBUG = True  # demo accounts sign in only while DEBUG is on
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, username

    visited, refused = crawl(client)

    assert refused == {}
    assert visited > 5  # the menu and the home page link somewhere
