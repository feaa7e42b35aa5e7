from django.db import connection

from tests.homes import open_home


def test_healthz_reports_the_database_answered(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}


def test_home_requires_login(client, db):
    response = open_home(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
