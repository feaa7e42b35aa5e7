"""The OpenAPI 3 schema and the readable docs."""

from drf_spectacular.validation import validate_schema


def test_the_schema_is_valid_openapi_3(db, anonymous_api):
    response = anonymous_api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/auth/token/",
        "/api/areas/",
        "/api/areas/{id}/",
        "/api/party-orgs/",
        "/api/users/",
        "/api/grants/",
    ):
        assert path in schema["paths"], path
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    under = [p for p in schema["paths"]["/api/areas/"]["get"]["parameters"] if p["name"] == "under"]
    assert under and under[0]["schema"]["type"] == "integer"


def test_the_token_endpoint_needs_no_authentication(db, anonymous_api):
    schema = anonymous_api.get("/api/schema/", {"format": "json"}).json()
    token = schema["paths"]["/api/auth/token/"]
    assert "security" not in schema  # no global requirement: an operation without `security` is open
    assert token["post"].get("security", []) in ([], [{}])
    assert {"tokenAuth": []} in token["delete"]["security"]
    assert set(schema["components"]["schemas"]["TokenRequest"]["properties"]) == {
        "username",
        "password",
        "otp",
    }


def test_the_docs_page_answers(client_for, cast):
    response = client_for(cast.street_a).get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content.lower()


def test_the_docs_page_loads_nothing_from_another_host(client_for, cast):
    """Issue 13: the docs page was blank offline (ReDoc and its fonts from public CDNs). Every script,
    style sheet, icon and image it names, and its set-up script, come from our own static files; each of
    those files is there (scripts/build_assets.py copies Swagger UI from npm)."""
    import re

    from django.conf import settings
    from django.contrib.staticfiles import finders

    client = client_for(cast.street_a)
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any("swagger-ui" in a for a in assets), assets
    assert not [a for a in assets if re.match(r"^(https?:)?//", a)], assets
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", html)
    scripts = [a for a in assets if a.startswith("/api/docs/")]
    assert scripts, assets  # the split view's set-up script, a URL of its own
    for script in scripts:
        body = client.get(script).content.decode()
        assert not re.search(r"https?://", body), body
    for asset in assets:
        if asset.startswith(settings.STATIC_URL):
            path = asset.removeprefix(settings.STATIC_URL).split("?")[0]
            assert finders.find(path), f"{asset}: not among the static files (make assets)"
