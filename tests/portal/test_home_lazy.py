"""The blocks of a home load on their own (portal/homes.py): the page is sent with a placeholder per block,
and the browser asks for each at /home/blocks/<name>/ (htmx). The page does not wait for them nor fail with
them; each block answers only the user whose home has it, with what their scope holds."""

import pytest

from grassroots.portal.homes import OFFICIAL, register_block, unregister_block
from tests.homes import block, open_home

HTMX = {"HX-Request": "true"}


@pytest.fixture
def probe():
    """A block of the officials' home whose data the test sets (`probe.data`)."""

    class Probe:
        data = None

        def __call__(self, request):
            if isinstance(self.data, Exception):
                raise self.data
            return self.data

    shown = Probe()
    register_block("probe", template="portal/blocks/notices.html", data=shown, homes={OFFICIAL}, order=1)
    yield shown
    unregister_block("probe")


def test_the_page_holds_a_placeholder_and_the_block_comes_with_its_own_request(client_for, cast, probe):
    probe.data = {"notices": [], "may_manage": False}
    client = client_for(cast.street_a)

    page = client.get("/").content.decode()
    assert 'data-lazy-block="probe" hx-get="/home/blocks/probe/" hx-trigger="load"' in page
    assert 'aria-busy="true"' in page
    assert 'data-block="notices"' not in page  # the template is not in the page

    fragment = client.get("/home/blocks/probe/", headers=HTMX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert 'data-block="notices"' in html
    assert "<html" not in html  # the block alone, for htmx to put in the placeholder's place


def test_a_block_with_nothing_to_show_answers_nothing_and_its_placeholder_goes(client_for, cast, probe):
    client = client_for(cast.street_a)
    fragment = client.get("/home/blocks/probe/", headers=HTMX)
    assert fragment.status_code == 200 and fragment.content == b""
    assert block(open_home(client), "probe") is None


def test_a_failing_block_does_not_take_the_page_with_it(client_for, cast, probe):
    probe.data = RuntimeError("a part's block is broken")
    client = client_for(cast.street_a)
    client.raise_request_exception = False

    page = client.get("/")
    assert page.status_code == 200
    # the placeholder says so in its place (app.js, on htmx:responseError) and links to the block alone
    assert "这一栏暂时没有加载出来。" in page.content.decode()
    assert client.get("/home/blocks/probe/", headers=HTMX).status_code == 500


def test_a_block_is_answered_only_on_the_home_that_has_it(client_for, cast):
    assert client_for(cast.resident).get("/home/blocks/todo/", headers=HTMX).status_code == 404
    assert client_for(cast.street_a).get("/home/blocks/selfgov/", headers=HTMX).status_code == 404
    assert client_for(cast.street_a).get("/home/blocks/nothing/", headers=HTMX).status_code == 404
    assert client_for(cast.street_a).get("/home/blocks/todo/", headers=HTMX).status_code == 200


def test_signed_out_the_whole_page_goes_to_the_sign_in_not_the_block(client):
    fragment = client.get("/home/blocks/todo/", headers=HTMX)
    assert fragment.status_code == 200
    assert fragment["HX-Redirect"].startswith("/accounts/login/?next=/")
    page = client.get("/home/blocks/todo/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_without_javascript_the_block_opens_as_a_page_of_its_own(client_for, cast):
    client = client_for(cast.street_a)
    assert '<noscript><a class="small" href="/home/blocks/todo/">' in client.get("/").content.decode()
    page = client.get("/home/blocks/todo/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and 'data-block="todo"' in html


def test_the_dashboard_is_drawn_in_the_page(client_for, cast):
    """`lazy=False`: its map and charts are drawn by the page's scripts as the page loads."""
    page = client_for(cast.street_a).get("/").content.decode()
    assert 'data-block="dashboard"' in page
    assert 'data-lazy-block="figures"' not in page


def test_a_block_for_some_roles_is_not_asked_for_by_anyone_else(client_for, cast):
    """`roles=`: the handbook is the community secretaries' (documents/blocks.py), so a street official's home
    sends no placeholder for it, and asked anyway it answers nothing."""
    street = client_for(cast.street_a)
    assert 'data-lazy-block="handbook"' not in street.get("/").content.decode()
    assert street.get("/home/blocks/handbook/", headers=HTMX).content == b""
    assert 'data-lazy-block="handbook"' in client_for(cast.secretary).get("/").content.decode()
