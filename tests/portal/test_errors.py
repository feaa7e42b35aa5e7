"""Chinese error pages. The 500 page needs neither the database nor the context processors."""

import pytest
from django.test import Client, RequestFactory

from grassroots.portal import views


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.portal.boom_urls"


def test_unknown_url_answers_the_chinese_404_page(client, db, production):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert "返回首页" in html
    assert '<html lang="zh-Hans">' in html


def test_404_page_keeps_the_shell_for_a_signed_in_user(client_for, cast, production):
    response = client_for(cast.street_a).get("/areas/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'id="gr-nav"' in html  # the navigation is still there to find one's way


def test_403_page_is_chinese(client_for, cast, production):
    response = client_for(cast.resident).get("/notices/new/")

    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


def test_500_page_is_chinese(db, production):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错了" in html
    assert "返回首页" in html


def test_500_page_renders_without_database_or_context_processors():
    """No `db` fixture: any query would fail the test."""
    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
