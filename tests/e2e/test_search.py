"""The one search box: a community secretary on their phone finds a member of the demo by pinyin initials and
opens the record; a resident searching the same finds no member."""

from playwright.sync_api import expect

from tests.e2e.helpers import in_english, see


def test_secretary_finds_a_member_by_initials_and_a_resident_does_not(session):
    secretary = session("secretary", phone=True)
    page = secretary.goto("/")
    page.locator("header a[href='/search/']").click()
    page.get_by_role("searchbox", name="搜索内容").fill("zgq")
    page.get_by_role("button", name="搜索").click()
    see(page, "党员")
    hit = page.locator(".gr-search-hit").filter(has_text="周国庆").first
    expect(hit.locator("mark")).to_have_text("周国庆")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    hit.click()
    see(page, "周国庆")

    resident = session("resident", phone=True)
    page = resident.goto("/search/")
    in_english(page, "Search")  # the page in English, once
    page.get_by_role("searchbox", name="搜索内容").fill("zgq")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("main")).not_to_contain_text("周国庆")
    see(page, "没有找到")
