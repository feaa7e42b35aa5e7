"""The database going away: every page answers a clear 503 (Chinese, no database needed to render it), the
API a JSON 503, and the platform recovers by itself when the database returns. The test points the default
connection at a database that cannot be reached (a SQLite file in a missing folder, or a closed PostgreSQL
port), then back."""

import sqlite3
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection
from django.test import Client

from grassroots.portal.views import server_error
from tests.factories import PASSWORD


@pytest.fixture
def database(transactional_db, tmp_path):
    saved = dict(connection.settings_dict)
    keeper = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # the in-memory test database lives while one connection holds it
        keeper = sqlite3.connect(saved["NAME"], uri=True)

    def away():
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = str(tmp_path / "gone" / "grassroots.sqlite3")
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        connection.close()

    def back():
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    yield SimpleNamespace(away=away, back=back)
    back()
    if keeper is not None:
        keeper.close()


def signed_in(user) -> Client:
    # The error met in a middleware goes through handler500, which Django reports with a signal that the
    # test client would re-raise: take the response, as a browser would.
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def assert_503_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert "系统暂时无法服务" in page and "数据库暂时无法访问" in page


def test_pages_answer_503_while_the_database_is_away_and_recover(database, cast, tree):
    client = signed_in(cast.street_a)
    assert client.get("/").status_code == 200

    database.away()
    for path in ("/", "/areas/", f"/areas/{tree.street_a.pk}/", "/members/"):
        assert_503_page(client.get(path))  # the session, read by a middleware, meets the error first
    # a view meeting it (an anonymous page that reads areas): the middleware's process_exception
    assert_503_page(Client(raise_request_exception=False).get("/accounts/register/"))
    api = client.get("/api/areas/")
    assert api.status_code == 503 and api.json()["code"] == "database_unavailable"
    assert "数据库暂时无法访问" in api.json()["detail"]
    assert client.get("/healthz").status_code == 503

    database.back()
    assert client.get("/").status_code == 200  # the same session, signed in as before
    assert client.get("/healthz").json()["database"] == "ok"
    assert client.get("/api/areas/").status_code == 200


def test_handler500_tells_the_database_apart_from_other_errors(rf):
    try:
        raise ValueError("not the database")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/api/areas/"))
    assert response.status_code == 503 and b"database_unavailable" in response.content
