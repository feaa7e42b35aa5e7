"""法治, a resident files a dispute online (docs/lawgov.md "Intake"): the demo resident (real-name verified)
opens 我的纠纷调解 on the phone and 提交纠纷; the form says where it happens (their community),
what and what they ask; sent without 纠纷经过 it is refused at that field with what was typed kept; sent with
it, the case is received at the community's people's mediation committee with its number. The resident
follows it on 我的纠纷调解; the community worker finds the same number on 调解案件; another resident gets 404
on it. axe-core on each page, nothing wider than the phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_files_a_dispute_online_and_follows_it(session):
    title = unique("楼上漏水纠纷")
    resident = session("resident", phone=True)
    page = resident.goto("/lawgov/disputes/mine/")
    see(page, "我的纠纷调解")
    in_english(page, "My disputes")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name="提交纠纷").click()
    see(page, "提交纠纷", "您是本案的申请人")
    field(page, "纠纷发生地").select_option(label="东大街社区")
    field(page, "纠纷事由").fill(title)
    field(page, "纠纷类别").select_option(label="邻里纠纷")
    field(page, "当事人请求").fill("请楼上住户修好水管，赔偿天花板修补费用。")
    field(page, "对方当事人姓名").fill("王某（演示）")
    problems += violations(page)
    _fits_the_phone(page)

    # refused at the field without what happened; what was typed is kept
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    expect(field(page, "纠纷经过")).to_have_attribute("aria-invalid", "true")
    see(page, "请填写纠纷经过。")
    expect(field(page, "纠纷事由")).to_have_value(title)
    problems += violations(page)

    field(page, "纠纷经过").fill("楼上卫生间漏水两个月，多次沟通未修，天花板发霉。")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    see(page, "纠纷已受理，案件编号", title, "已受理", "社区级 · 人民调解")
    number = page.locator("main h1").inner_text().split()[0]
    assert re.fullmatch(r"纠纷-\d{4}-\d{4}", number), number
    case_path = page.url.removeprefix(resident.base_url).split("#")[0]
    problems += violations(page)
    _fits_the_phone(page)

    # the resident follows it on 我的纠纷调解
    page = resident.goto("/lawgov/disputes/mine/")
    row = page.get_by_role("listitem").filter(has_text=number)
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("已受理")
    _fits_the_phone(page)

    # the community's mediation committee has it on its caseload, under the same number
    worker = session("worker")
    page = worker.goto("/lawgov/disputes/caseload/")
    row = page.get_by_role("listitem").filter(has_text=number)
    expect(row).to_contain_text(title)
    row.get_by_role("link", name=number).click()
    see(page, number, title, "楼上卫生间漏水两个月")
    problems += violations(page)

    # another resident does not see it
    other = session("member", phone=True)
    page = other.goto("/lawgov/disputes/mine/")
    expect(page.locator("main")).not_to_contain_text(number)
    assert other.page.goto(case_path).status == 404
    assert not problems, "\n".join(problems)
