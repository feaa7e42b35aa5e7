"""一核, complete (issue 12): a community secretary reads the work handbook and confirms reading a chapter
(their own confirmation, shown afterwards); and 费随事转 through the funds ledger: the street hands an affair
down with a task, the county allots the affair's funds to the street and pays them, the street confirms
receipt and allots on to 东大街社区 and pays it, the community confirms receipt on a phone, and the
community's page shows the affair carried against the funds received. axe-core on each page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique

AFFAIR = "城乡居民基本医疗保险参保登记"  # in the demo catalogue, 8,000 yuan per community, no funds allotted
COMMUNITY = "东大街社区"


def _today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the server's local date


def test_a_new_secretary_reads_the_handbook_and_confirms_a_chapter(session):
    secretary = session("secretary", phone=True)
    page = secretary.goto("/")  # their console names the handbook with the chapters they confirmed
    block = page.locator("[data-block=handbook]")  # (the journey confirms one of four: never all read)
    expect(block).to_contain_text("新任社区党组织书记工作手册")
    expect(block).to_contain_text(re.compile(r"您已读 [0-3] / 4 章"))
    page = secretary.goto("/documents/handbooks/")
    see(page, "工作手册")
    in_english(page, "Work handbook")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name=re.compile("新任社区党组织书记工作手册")).first.click()
    see(page, "新任社区党组织书记工作手册", "组织生活怎么开", "三单制")
    problems += violations(page)
    # the chapter's links lead to the pages that carry the procedure out
    chapter = page.locator("section", has=page.get_by_role("heading", name=re.compile("组织生活怎么开")))
    expect(chapter.get_by_role("link", name=re.compile("三单制"))).to_have_attribute("href", "/orglife/")
    confirm = chapter.get_by_role("button", name="我已读过本章")
    if confirm.count():  # an earlier run on the same server confirmed it already
        confirm.click()
        see(page, "已记下：您读过“组织生活怎么开”。")
    expect(chapter).to_contain_text("您已读过本章")
    expect(chapter.get_by_role("button", name="我已读过本章")).to_have_count(0)
    # the confirmation is the reader's own: shown again on their next visit, not to the next secretary
    page = secretary.goto(page.url.split("#")[0])
    chapter = page.locator("section", has=page.get_by_role("heading", name=re.compile("组织生活怎么开")))
    expect(chapter).to_contain_text("您已读过本章")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # the handbook is searchable
    page = secretary.goto("/documents/handbooks/search/?q=备案单")
    see(page, "备案单")
    problems += violations(page)
    assert not problems, "\n".join(problems)


def test_funds_follow_the_affair_from_the_county_through_the_street_to_the_community(session):
    today = _today()
    year = str(today.year)
    street = session("street")

    # the street hands the affair down to its communities with a task (权随责走): they now carry it
    page = street.goto("/duties/tasks/new/")
    field(page, "任务名称").fill(unique("城乡居民医保参保登记入户宣传"))
    field(page, "任务内容").fill("入户宣传城乡居民医保参保登记，收集未参保人员名单。")
    field(page, "下发到").select_option(label="社区")
    field(page, "完成时限").fill((today + timedelta(days=20)).isoformat())
    field(page, "考核权重").fill("5")
    affair = field(page, "准入事项")
    affair.select_option(value=affair.locator("option", has_text=AFFAIR).first.get_attribute("value"))
    page.get_by_role("button", name="下发").click()
    see(page, "任务已下发给", COMMUNITY)

    # the county allots the affair's funds of the year to the street (街道统筹) and pays them
    county = session("county")
    page = county.goto("/admission/funds/")
    see(page, "随事经费台账")
    page.get_by_role("link", name="下达经费").click()
    see(page, "下达随事经费")
    problems = violations(page)
    affair = field(page, "准入事项")
    affair.select_option(label=AFFAIR)
    # the area: the county's streets and communities grouped by street, narrowed by the search box
    target = field(page, "社区或街道")
    expect(target.locator("optgroup[label$='东城街道']")).to_have_count(1)
    page.get_by_label("查找社区或街道").fill("东城")
    expect(target.locator("optgroup")).to_have_count(1)  # the street and its communities only
    expect(target.locator("option", has_text="东城街道（街道统筹）")).to_have_count(1)
    target.select_option(label="东城街道（街道统筹）")
    field(page, "年度").fill(year)
    field(page, "下达日期").fill(today.isoformat())
    page.get_by_role("button", name="下达").click()
    expect(field(page, "下达文号")).to_have_class(re.compile("is-invalid"))  # refused at the field
    see(page, "该字段是必填项。")
    field(page, "下达文号").fill(f"雨财社〔{year}〕21号")
    page.get_by_role("button", name="下达").click()
    see(page, "随事经费已下达，等待拨付。", f"东城街道 · {AFFAIR} · {year} 年度", "已下达")
    street_row = page.url
    problems += violations(page)
    page.get_by_role("link", name="登记拨付").click()
    field(page, "拨付日期").fill(today.isoformat())
    field(page, "拨付凭证号").fill(f"国库支付凭证 {year}-1021")
    page.get_by_role("button", name="登记拨付").click()
    see(page, "已登记拨付。", "已拨付", f"国库支付凭证 {year}-1021")

    # the street confirms the money arrived, then allots it on to 东大街社区 by its own document and pays it
    page = street.goto(street_row)
    page.get_by_role("link", name="确认到账").click()
    field(page, "到账日期").fill(today.isoformat())
    page.get_by_role("button", name="确认到账").click()
    see(page, "已到账", "尚可下达")
    page.get_by_role("link", name="下达给社区").click()
    problems += violations(page)
    page.get_by_role("checkbox", name=COMMUNITY).check()
    field(page, "下达日期").fill(today.isoformat())
    field(page, "下达文号").fill(f"东城街道〔{year}〕31号")
    page.get_by_role("button", name="下达给所选社区").click()
    see(page, "已向 1 个社区下达随事经费。")
    page.get_by_role("link", name=COMMUNITY).click()
    see(page, f"{COMMUNITY} · {AFFAIR} · {year} 年度", "已下达", "东城街道统筹经费")
    community_row = page.url
    page.get_by_role("link", name="登记拨付").click()  # the street pays what it allotted, not the county
    field(page, "拨付日期").fill(today.isoformat())
    field(page, "拨付凭证号").fill(f"东城街道支付 {year}-031")
    page.get_by_role("button", name="登记拨付").click()
    see(page, "已登记拨付。", "已拨付")

    # the community's secretary confirms receipt on a phone, and their page shows the affair funded
    secretary = session("secretary", phone=True)
    page = secretary.goto(community_row)
    page.get_by_role("link", name="确认到账").click()
    see(page, AFFAIR)
    problems += violations(page)
    field(page, "到账日期").fill(today.isoformat())
    page.get_by_role("button", name="确认到账").click()
    see(page, "已到账", "东城街道支付")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page = secretary.goto(f"/admission/communities/?year={year}")
    see(page, f"{COMMUNITY} {year} 年度承接的事务", "已到账")
    row = page.get_by_role("row").filter(has_text=AFFAIR)
    expect(row).to_contain_text("8000")
    expect(row).not_to_contain_text("未到账")
    problems += violations(page)
    assert not problems, "\n".join(problems)
