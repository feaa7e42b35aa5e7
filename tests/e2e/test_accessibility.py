"""axe-core on the main pages of every role — each one's home page (desktop and phone) and every page its
menu links to — finds no serious or critical violation. A page several roles reach is checked once, as the
first role below that reaches it (the humblest: residents first)."""

import re

import pytest

from tests.e2e.axe import needs_axe, violations

ROLES = [
    "resident",
    "member",
    "branch",
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
_checked: set[str] = set()


def menu_links(page) -> list[str]:
    """The site's own pages linked from the menus (navigation outside the page's main part: sidebar, bottom
    bar), in order, once each."""
    hrefs = page.locator("nav a[href^='/']").evaluate_all(
        "links => links.filter((a) => !a.closest('main')).map((a) => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(h.split("#")[0] for h in hrefs))


def open_api_docs(page) -> None:
    """The API docs page is drawn by Swagger UI after it loads: wait for the routes, then open the first one
    and its “Try it out” form (parameters, choice lists, examples) so that axe sees those too."""
    page.locator(".opblock").first.wait_for()
    page.locator(".opblock-summary-control").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.locator("tr[data-param-name]").first.wait_for()


@needs_axe
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
        if href == "/api/docs/":
            open_api_docs(page)
        problems += violations(page)
    assert not problems, "\n".join(problems)


# Record pages one level below the menus, reached as their user would (the first record the list links to):
# (user, list page, the record's address). Forms and timelines live here, where the menu pages do not reach.
RECORDS = [
    ("secretary", "/members/", r"^/members/\d+/$"),  # a member's record
    ("resident", "/selfgov/", r"^/selfgov/matters/\d+/$"),  # a matter
    ("resident", "/selfgov/conventions/", r"^/selfgov/conventions/\d+/$"),  # a courtyard convention
    ("worker", "/selfgov/rulebooks/", r"^/selfgov/rulebooks/\d+/$"),  # one of the four systems
    ("secretary", "/cogov/agreements/", r"^/cogov/agreements/\d+/$"),  # a co-building agreement
    ("secretary", "/cogov/partners/", r"^/cogov/partners/\d+/$"),  # a partner
    ("resident", "/gatherings/", r"^/gatherings/\d+/$"),  # a gathering
    ("secretary", "/duties/?tab=check", r"^/duties/assignments/\d+/$"),  # a task given to a grid
    ("street", "/admission/funds/", r"^/admission/funds/\d+/$"),  # a funds ledger row
]


@needs_axe
def test_record_pages_have_no_serious_violations(session):
    problems = []
    people = {}
    for username, listing, record in RECORDS:
        person = people.get(username) or people.setdefault(username, session(username, phone=True))
        page = person.goto(listing)
        hrefs = page.locator("main a[href^='/']").evaluate_all(
            "links => links.map((a) => a.getAttribute('href'))"
        )
        here = page.url.removeprefix(person.base_url)  # a resident's conventions open their courtyard's
        found = next((h for h in [here, *hrefs] if re.match(record, h.split("?")[0])), None)
        assert found, f"{listing} links to no record like {record} for {username}"
        person.goto(found)
        problems += violations(page)
    assert not problems, "\n".join(problems)
