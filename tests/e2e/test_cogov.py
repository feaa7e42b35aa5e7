"""共治 (docs/cogov.md): a partner's representative, on their phone, finds their unit from the home page and
offers a resource; the community secretary registers a co-building agreement with that unit (refused at the
field without its terms), which the representative then finds on their unit's page; a Party member joins the
community's volunteers and signs up for a volunteer activity near them. axe-core on each new page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique

PARTNER = "雅安康安食品有限公司"  # the demo representative's (partner) unit


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_partner_offers_a_resource_and_finds_the_agreement_the_community_signed(session):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    partner = session("partner", phone=True)
    page = partner.goto("/")
    see(page, "共建共治", PARTNER)
    page.get_by_role("link", name=PARTNER).first.click()
    see(page, PARTNER, "可提供资源", "共建协议")
    problems = violations(page)
    resource = unique("食品安全快检")
    field(page, "资源类型").select_option(label="专业服务")
    field(page, "资源名称").fill(resource)
    field(page, "数量").fill("4")
    field(page, "单位").fill("次")
    page.get_by_role("button", name="添加或修改资源").click()
    see(page, resource)
    _fits_the_phone(page)
    partner_path = page.url.removeprefix(partner.base_url)
    # their worklist: the community's needs they may claim, their unit's claims; a need's page
    page = partner.goto("/cogov/worklist/")
    see(page, "共建工作台", "可认领的社区需求", "本单位的认领和承诺")
    in_english(page, "Partner worklist")  # the page in English, once
    problems += violations(page)
    need = page.locator("main a[href^='/cogov/items/']").filter(has_not_text="承诺资源").first
    name = need.inner_text().strip()
    need.click()
    see(page, name)
    problems += violations(page)
    _fits_the_phone(page)

    secretary = session("secretary")
    page = secretary.goto("/cogov/agreements/")
    page.get_by_role("link", name="登记共建协议").click()
    see(page, "登记共建协议")
    problems += violations(page)
    title = unique("东大街社区与康安食品食品安全共建协议")
    field(page, "街道（社区）党组织").select_option(label="东大街社区党委")
    field(page, "共建单位").select_option(label=PARTNER)
    field(page, "协议名称").fill(title)
    page.get_by_role("button", name="保存").click()
    expect(field(page, "开始日期")).to_have_attribute("aria-invalid", "true")  # refused at its field
    field(page, "开始日期").fill(today.isoformat())
    field(page, "截止日期").fill((today + timedelta(days=365)).isoformat())
    field(page, "签订日期").fill(today.isoformat())
    field(page, "党组织一方的承诺").fill("组织在职党员参加单位开放日\n提供党群服务中心会议室")
    field(page, "共建单位一方的承诺").fill("每季度进社区开展一次食品安全快检\n为困难家庭提供年节慰问")
    page.get_by_role("button", name="保存").click()
    see(page, title, PARTNER, "每季度进社区开展一次食品安全快检")
    problems += violations(page)

    page = partner.goto(partner_path)
    page.get_by_role("link", name=title).click()
    see(page, title, "提供党群服务中心会议室")
    problems += violations(page)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)


def test_a_member_joins_the_volunteers(session):
    member = session("member", phone=True)
    page = member.goto("/cogov/volunteering/")
    see(page, "我的志愿服务")
    problems = violations(page)
    if member.page.get_by_role("button", name="退出志愿者队伍").count():  # the demo made them one
        page.get_by_role("button", name="退出志愿者队伍").click()
        page.wait_for_load_state()
    expect(page.get_by_role("button", name="报名志愿者")).to_be_visible()
    skills = unique("理发")
    field(page, "技能特长").fill(f"{skills}，陪老人聊天")
    page.get_by_label("周末").check()
    page.get_by_role("button", name="报名志愿者").click()
    see(page, "您是东大街社区的志愿者")
    expect(field(page, "技能特长")).to_have_value(f"{skills}，陪老人聊天")
    _fits_the_phone(page)
    problems += violations(page)

    # and signs up for a volunteer activity near them, on the phone
    page = member.goto("/cogov/activities/")
    see(page, "志愿活动", "附近可报名的活动")
    problems += violations(page)
    near = page.locator("section", has=page.get_by_role("heading", name="附近可报名的活动"))
    activity = near.locator("a[data-activity]").first
    title = activity.locator("strong").inner_text().strip()
    activity.click()
    see(page, title)
    page.get_by_role("button", name="我要报名").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="取消报名")).to_be_visible()
    problems += violations(page)
    _fits_the_phone(page)
    page = member.goto("/cogov/activities/")
    mine = page.locator("section", has=page.get_by_role("heading", name="我报名的活动"))
    expect(mine).to_contain_text(title)

    secretary = session("secretary")
    page = secretary.goto("/cogov/volunteers/")
    see(page, "志愿者", skills)
    problems += violations(page)
    assert not problems, "\n".join(problems)
