"""法治, legal service stations (docs/lawgov.md): a resident on the phone opens 法律服务站 (their community's
station), books a place at a session of the human resources and social security bureau, finds it marked as
theirs and cancels it. The community worker leaves one place at another session (the occurrence's page, 编辑);
two residents open the calendar at once, one takes the place and the other's 预约 is refused with the message
(名额已满), after which the calendar says 已约满. The station's lawyer records a consultation — refused at
转交单位 when referred to another body without one — and refers it to mediation: it becomes a case of the
dispute platform, received at the community. axe-core on each page; nothing wider than the phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

STATION = "东大街社区法律服务站"
SESSION = "劳动就业与社保政策咨询"  # the demo's 人社局 session, every other Thursday, 6 places


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _occurrences(page):
    """The calendar's occurrences of SESSION that still take a booking."""
    return (
        page.get_by_role("listitem")
        .filter(has_text=SESSION)
        .filter(has=page.get_by_role("button", name="预约", exact=True))
    )


def _occurrence(page, when: str):
    return page.get_by_role("listitem").filter(has_text=when).filter(has_text=SESSION)


def test_a_resident_books_and_cancels_and_a_full_session_refuses(session):
    # the resident: the menu's 法律服务站 leads to their community's station
    resident = session("resident", phone=True)
    page = resident.goto("/")
    menu(page, "/lawgov/stations/")
    see(page, STATION, "法律工作者", "孙文静", "近期服务场次", SESSION)
    in_english(page, "Upcoming sessions")  # the page in English, once
    problems = violations(page)
    _fits_the_phone(page)

    first = _occurrences(page).first
    when = first.locator("strong").inner_text()  # e.g. 2026-12-17 14:30
    first.get_by_role("button", name="预约", exact=True).click()
    see(page, f"已预约：{SESSION}")
    row = _occurrence(page, when)
    expect(row).to_contain_text("已预约 1/6")
    expect(row.get_by_role("button", name="取消预约")).to_be_visible()
    problems += violations(page)
    _fits_the_phone(page)
    row.get_by_role("button", name="取消预约").click()
    see(page, f"已取消预约：{SESSION}")
    row = _occurrence(page, when)
    expect(row).to_contain_text("已预约 0/6")
    expect(row.get_by_role("button", name="预约", exact=True)).to_be_visible()

    # the worker leaves one place at the next occurrence (the bureau's officer comes alone)
    worker = session("worker")
    page = worker.goto(resident.page.url.removeprefix(resident.base_url))
    later = _occurrences(page).nth(1)
    later_when = later.locator("strong").inner_text()
    later.get_by_role("link", name=SESSION).click()
    see(page, SESSION, "名额 6 人")
    page.get_by_role("link", name="仅编辑本场").click()  # this occurrence, not the series
    field(page, "名额").fill("1")
    page.get_by_role("button", name="保存").click()
    see(page, SESSION, "名额 1 人")
    station_path = resident.page.url.removeprefix(resident.base_url)

    # two residents open the calendar; the first to book takes the place, the other is refused
    member = session("member", phone=True)
    branch = session("branch", phone=True)
    pages = [person.goto(station_path) for person in (member, branch)]
    for page in pages:
        expect(_occurrence(page, later_when)).to_contain_text("已预约 0/1")
    _occurrence(pages[0], later_when).get_by_role("button", name="预约", exact=True).click()
    see(pages[0], f"已预约：{SESSION}")
    _occurrence(pages[1], later_when).get_by_role("button", name="预约", exact=True).click()
    see(pages[1], "名额已满（共 1 人），无法报名。")
    row = _occurrence(pages[1], later_when)
    expect(row).to_contain_text("已预约 1/1")
    expect(row).to_contain_text("已约满")
    expect(row.get_by_role("button", name="预约", exact=True)).to_have_count(0)
    problems += violations(pages[1])
    _fits_the_phone(pages[1])
    assert not problems, "\n".join(problems)


def test_a_lawyer_records_a_consultation_and_refers_it_to_mediation(session):
    lawyer = session("lawyer", phone=True)
    page = lawyer.goto("/")
    menu(page, "/lawgov/stations/")
    page.get_by_role("link", name=STATION).click()
    page.get_by_role("link", name="法律咨询登记").click()
    see(page, "法律咨询登记", STATION)
    problems = violations(page)
    _fits_the_phone(page)

    question = unique("邻居在公共楼道堆放杂物，多次沟通无果，如何处理？")
    field(page, "咨询类别").select_option(label="物业与房屋")
    field(page, "咨询问题").fill(question)
    field(page, "解答摘要").fill("告知可由社区人民调解委员会调解，并说明消防通道相关规定。")
    field(page, "处理方式").select_option(label="转其他部门")
    page.get_by_role("button", name="登记").click()
    expect(field(page, "转交单位")).to_have_attribute("aria-invalid", "true")
    see(page, "请填写转交的单位。")
    problems += violations(page)

    field(page, "处理方式").select_option(label="转人民调解")
    field(page, "对方当事人").fill("3栋2单元某住户")
    page.get_by_role("button", name="登记").click()
    see(page, "咨询已登记。", "法律咨询", question, "转人民调解")
    number = page.get_by_role("link", name=re.compile(r"^纠纷-\d{4}-\d{4}$"))
    case_number = number.inner_text()
    problems += violations(page)
    _fits_the_phone(page)

    # the referral is a case of the dispute platform, received at the community
    number.click()
    see(page, case_number, "法律咨询转调解：物业与房屋", "已受理", "社区级 · 人民调解", question)
    see(page, "被申请人：3栋2单元某住户", "法律服务站登记")
    problems += violations(page)
    _fits_the_phone(page)
    page = lawyer.goto("/lawgov/stations/")
    page.get_by_role("link", name=STATION).click()
    page.get_by_role("link", name="法律咨询登记").click()
    expect(page.get_by_role("listitem").filter(has_text=case_number)).to_contain_text("转人民调解")
    assert not problems, "\n".join(problems)
