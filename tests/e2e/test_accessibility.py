"""axe-core on the main pages of every role — each one's home page (desktop and phone) and every page its
menu links to — finds no serious or critical violation. A page several roles reach is checked once, as the
first role below that reaches it (the humblest: residents first)."""

import pytest

from tests.e2e.axe import violations
from tests.e2e.conftest import AXE

ROLES = [
    "resident",
    "member",
    "partner",
    "grid",
    "mediator",
    "lawyer",
    "worker",
    "secretary",
    "street",
    "county",
    "city",
    "auditor",
    "admin",
]
# Not ours to fix: the API reference is Swagger UI's page (checked by its makers)
SKIP = ("/api/docs/",)
_checked: set[str] = set()


def menu_links(page) -> list[str]:
    """The site's own pages linked from the menus (navigation outside the page's main part: sidebar, bottom
    bar), in order, once each."""
    hrefs = page.locator("nav a[href^='/']").evaluate_all(
        "links => links.filter((a) => !a.closest('main')).map((a) => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(h.split("#")[0] for h in hrefs if not h.startswith(SKIP)))


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is missing from node_modules: run npm ci")
@pytest.mark.parametrize("username", ROLES)
def test_main_pages_have_no_serious_violations(session, username):
    problems = []
    phone = session(username, phone=True)
    phone.goto("/")
    problems += violations(phone.page)

    person = session(username)
    page = person.goto("/")
    problems += violations(page)
    for href in menu_links(page):
        if href == "/" or href in _checked:
            continue
        _checked.add(href)
        person.goto(href)
        problems += violations(page)
    assert not problems, "\n".join(problems)
