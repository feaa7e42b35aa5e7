"""Chinese everywhere, English complete: the member list's sort menu, the brand, the language menus (each
language in its own name). The audit log's labels and values: tests/audit/test_log_page.py. (The .mo files
are compiled by `make test` before pytest runs.)"""

from django.conf import settings

from tests.homes import open_home


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def test_the_member_lists_sort_menu_is_chinese_and_english(cast, client_for):
    client = client_for(cast.city)
    chinese = in_language(client, "zh-hans").get("/members/").content.decode()
    assert "姓名（倒序）" in chinese and "descending" not in chinese
    english = in_language(client, "en").get("/members/").content.decode()
    assert "(descending)" in english and "倒序" not in english


def test_the_brand_has_no_english_beside_it_and_languages_are_named_in_their_own(cast, client, client_for):
    page = open_home(client_for(cast.city)).content.decode()
    assert "Grassroots<" not in page and ">英语<" not in page
    assert 'lang="en">English</button>' in page and 'lang="zh-hans">简体中文</button>' in page
    login = in_language(client, "zh-hans").get("/accounts/login/").content.decode()
    assert "英语" not in login and ">English</option>" in login and ">简体中文</option>" in login
