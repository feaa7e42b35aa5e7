"""Small things a browser asks of every site: /favicon.ico, and the language of the API docs page."""

from django.templatetags.static import static
from django.test import Client


def test_favicon_ico_leads_to_the_icon_the_pages_link(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    icon = static("grassroots/favicon.svg")
    assert response["Location"] == icon
    login = Client().get("/accounts/login/")
    assert f'<link rel="icon" href="{icon}"' in login.content.decode()


def test_favicon_ico_is_open_to_a_signed_in_official(client, db, django_user_model):
    user = django_user_model.objects.create_user("icon", password="x-Secret-12345")
    client.force_login(user)
    assert client.get("/favicon.ico").status_code == 302


def test_the_api_docs_page_says_its_language(cast, client_for):
    # the docs page is for those who hold api.docs (a street official), signed in
    client = client_for(cast.street_a)
    chinese = client.get("/api/docs/")
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    english = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()


def test_the_api_docs_page_has_the_sites_title_and_icon(cast, client_for):
    client = client_for(cast.street_a)
    chinese = client.get("/api/docs/").content.decode()
    assert "<title>基层治理平台 API 文档</title>" in chinese
    assert f'<link rel="icon" href="{static("grassroots/favicon.svg")}"' in chinese
    assert "Grassroots API" not in chinese
    english = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<title>Grassroots platform API reference</title>" in english
