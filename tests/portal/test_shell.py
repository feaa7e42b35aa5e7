"""The top bar every page shares: product name, notifications bell with the unread count, the language
switch (POST to set_language), and the user menu with password, two-factor and a logout form."""

from django.urls import reverse

from grassroots.workflow.services import notify
from tests.homes import open_home


def topbar(client, url="/") -> str:
    html = client.get(url).content.decode()
    start = html.index("gr-topbar")
    return html[start : html.index("</header>", start)]


def test_topbar_names_the_product_and_offers_the_language_switch(client_for, cast):
    bar = topbar(client_for(cast.resident))

    assert "雅安基层治理" in bar
    assert f'action="{reverse("set_language")}"' in bar
    assert 'name="language" value="zh-hans"' in bar
    assert 'name="language" value="en"' in bar


def test_bell_shows_the_unread_count(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for(cast.worker)
    assert "badge rounded-pill" not in topbar(client)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.worker, cast.resident], verb="新的实名核验申请")
        notify(recipients=[cast.worker], verb="会议即将开始")

    bar = topbar(client)
    assert reverse("workflow:notifications") in bar
    assert ">2<" in bar


def test_user_menu_has_password_two_factor_for_officials_and_a_logout_form(client_for, cast):
    official = topbar(client_for(cast.street_a))
    resident = topbar(client_for(cast.resident))

    for bar in (official, resident):
        assert f'href="{reverse("accounts:password_change")}"' in bar
        assert f'<form method="post" action="{reverse("accounts:logout")}">' in bar
    assert f'href="{reverse("accounts:two_factor")}"' in official
    assert f'href="{reverse("accounts:two_factor")}"' not in resident
    assert "街道干部" in official  # the role under the name


def test_language_switch_changes_the_page_language(client_for, cast):
    client = client_for(cast.resident)
    assert '<html lang="zh-Hans">' in open_home(client).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/notices/"})

    assert response.status_code == 302 and response["Location"] == "/notices/"
    html = client.get("/notices/").content.decode()
    assert '<html lang="en">' in html
    assert 'class="dropdown-item active" type="submit" name="language" value="en"' in html


def test_anonymous_pages_have_the_top_bar_without_the_shell(client, db):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "雅安基层治理" in html
    assert 'id="gr-nav"' not in html
    assert 'class="gr-public"' in html


def test_console_and_resident_layouts(client_for, cast):
    console = open_home(client_for(cast.worker)).content.decode()
    resident = open_home(client_for(cast.resident)).content.decode()

    assert 'class="gr-console"' in console
    assert 'data-bs-target="#gr-nav"' in console  # the menu button that opens the sidebar on phones
    assert "gr-bottom-nav" in console  # officials' phones get their short bar too (navigation.phone_links)
    assert 'class="gr-resident"' in resident
    assert "gr-bottom-nav" in resident


def test_the_login_page_links_to_resident_registration_and_every_page_has_a_favicon(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert 'href="/accounts/register/"' in html and "居民注册" in html
    assert 'rel="icon"' in html and "grassroots/favicon.svg" in html
