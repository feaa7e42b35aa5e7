"""Security headers: a Content-Security-Policy that allows scripts from our own origin only (no inline script,
no eval, no CDN) and a Permissions-Policy — and every page still renders under them: a crawl of the pages
several roles reach from their home page finds no inline script, no inline event handler,
no foreign script."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from grassroots.core.coverage.models import Entity, EntityKind
from tests.factories import make_party_org

SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/django-admin/")


class PageScan(HTMLParser):
    """Links to follow, and the script-bearing markup a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"inline handler {name}= on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "script":
            src = attributes.get("src")
            if src is not None:
                if urlsplit(src).netloc:
                    self.problems.append(f"script from another origin: {src}")
            elif (attributes.get("type") or "").lower() != "application/json" and "nonce" not in attributes:
                self._in_inline_script = True
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "script" and self._in_inline_script:
            self.problems.append("inline <script> without nonce")
            self._in_inline_script = False


def script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}
    return directives.get("script-src") or directives["default-src"]


def assert_safe(response, path):
    assert "Content-Security-Policy" in response, path
    source = script_src(response)
    assert "'unsafe-inline'" not in source and "'unsafe-eval'" not in source, (path, source)
    assert "camera=()" in response["Permissions-Policy"], path


def crawl(client: Client, start: str = "/", limit: int = 80) -> dict[str, int]:
    """Breadth-first over same-site links (query strings dropped), up to `limit` pages."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        assert response.status_code < 500, path
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert_safe(response, path)
        scan = PageScan()
        scan.feed(response.content.decode())
        assert not scan.problems, (path, scan.problems)
        for href in scan.links:
            link = urldefrag(href).url
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
                continue
            if parts.path not in seen:
                queue.append(parts.path)
    return seen


@pytest.fixture
def records(tree, cast):
    """A Party organization and a coverage entity, so that the pages with charts and tables draw them."""
    make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    Entity.objects.create(name="桥楼快递站", area=tree.community_a, kind=EntityKind.ENTERPRISE)


def test_the_login_page_carries_the_headers(db):
    response = Client().get("/accounts/login/")
    assert_safe(response, "/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    scan = PageScan()
    scan.feed(response.content.decode())
    assert not scan.problems


@pytest.mark.parametrize("role", ["admin", "street_a", "secretary", "resident", "auditor"])
def test_every_page_a_role_reaches_renders_under_the_policy(role, cast, records, client_for):
    pages = crawl(client_for(getattr(cast, role)))
    assert sum(1 for status in pages.values() if status == 200) >= 5, pages


def test_the_coverage_chart_reads_its_data_from_json(cast, records, client_for):
    response = client_for(cast.street_a).get("/coverage/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-stack-chart="coverage-data"' in body and 'data-stack-chart="coverage-kinds"' in body
    assert '<script id="coverage-data" type="application/json">' in body
    assert "已覆盖" in body  # the series names travel in the JSON, translated
    summary = response.context["summary"]  # the rate shows its denominator
    assert f"{summary.total} 个单位中 {summary.covered} 个已覆盖" in body


def test_the_api_docs_load_their_scripts_from_our_static_files(client_for, cast):
    client = client_for(cast.street_a)  # the page is for api.docs holders
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_safe(response, "/api/docs/")
    scan = PageScan()
    scan.feed(response.content.decode())
    assert not scan.problems
    body = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_position_is_ours_alone_and_the_quick_report_asks_for_it(cast, client_for):
    """The quick report's 使用当前位置 (static/grassroots/locate.js) needs the browser's position: the policy
    allows it to our own pages (`self`) and to nothing embedded; every other feature stays off. The button
    says what happened (done or refused) in a status next to it."""
    from django.urls import reverse

    url = reverse("selfgov:opinion_create") + "?quick=1"
    response = client_for(cast.resident).get(url)
    assert response.status_code == 200
    features = dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))
    assert features["geolocation"] == "(self)"
    assert features["camera"] == features["microphone"] == features["payment"] == "()"
    html = response.content.decode()
    assert "data-locate " in html and "data-locate-status" in html
    assert "无法获取当前位置" in html  # the message when the position is refused
