"""共治, two-way service items (docs/cogov.md): the community secretary publishes a need in two shares; a
partner's representative, on their phone, finds it on their 共建工作台 and claims one share; the secretary
accepts the claim; the representative records the delivery with evidence (refused without it, at the field);
the secretary confirms it and rates it; a resident of the community rates it on their phone (服务评价: refused
at the field without 满意程度, then 基本满意 with a comment), which the secretary sees on the claim; the claim
shows on the partner's page. axe-core on each page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import act, field, in_english, menu, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARTNER = "雅安康安食品有限公司"  # the demo representative's unit


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_partner_claims_a_share_of_a_need_delivers_it_and_the_community_rates_it(session):
    today = datetime.now(SHANGHAI).date()
    secretary = session("secretary")
    page = secretary.goto("/cogov/items/")
    see(page, "双向服务事项")
    in_english(page, "Two-way service items")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name="发布社区需求").click()
    need = unique("独居老人助餐配送")
    field(page, "社区").select_option(label="东大街社区")
    field(page, "事项名称").fill(need)
    field(page, "类别").select_option(label="志愿者")
    field(page, "说明").fill("为东大街社区 12 位独居老人每周配送两次午餐。")
    field(page, "份数").fill("2")
    field(page, "每份单位").fill("个月")
    problems += violations(page)
    page.get_by_role("button", name="保存").click()
    see(page, need, "未发布", "0 / 2个月")
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    expect(page.locator("main h1")).not_to_contain_text("未发布")
    item_path = page.url.removeprefix(secretary.base_url)

    # the representative, on the phone: the need on their worklist; one share claimed
    partner = session("partner", phone=True)
    page = partner.goto("/cogov/worklist/")
    see(page, "可认领的社区需求", need)
    page.get_by_role("link", name=need).first.click()
    see(page, need, "认领（尚有 2 份）")
    field(page, "认领单位").select_option(label=PARTNER)
    field(page, "认领份数").fill("1")
    field(page, "计划完成日期").fill(today.isoformat())
    field(page, "说明").fill("由单位食堂每周二、五配送。")
    page.get_by_role("button", name="认领", exact=True).click()
    see(page, "已认领，等待社区接收。", need, PARTNER, "待接收")
    problems += violations(page)
    _fits_the_phone(page)

    # the secretary accepts it
    page = secretary.goto(item_path)
    see(page, "1 / 2个月")
    page.locator("[data-claim] a", has_text=PARTNER).first.click()
    see(page, need, "待接收", "由单位食堂每周二、五配送。")
    claim_path = page.url.removeprefix(secretary.base_url)
    problems += violations(page)
    act(page, "接收")
    see(page, "已接收")

    # the representative records the delivery: refused without evidence, then with it
    page = partner.goto(claim_path)
    page.get_by_role("link", name="登记交付").click()
    field(page, "交付日期").fill(today.isoformat())
    field(page, "受益人数").fill("12")
    field(page, "交付情况").fill("本月已配送 8 次，老人反映饭菜软烂适口。")
    problems += violations(page)
    _fits_the_phone(page)
    page.get_by_role("button", name="提交").click()
    expect(field(page, "佐证材料（照片、签到表等）")).to_have_attribute("aria-invalid", "true")
    field(page, "佐证材料（照片、签到表等）").set_input_files(
        {"name": "配送签收表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="提交").click()
    see(page, "已交付待确认", "受益人数", "12", "配送签收表.pdf")
    _fits_the_phone(page)

    # the secretary confirms and rates
    page = secretary.goto(claim_path)
    act(page, "确认完成")
    see(page, "已确认完成", "服务评价")
    page.get_by_role("group", name="评分（5 分最高）").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="满意程度").get_by_label("满意", exact=True).check()
    field(page, "评价意见").fill("配送准时，老人满意。")
    page.get_by_role("button", name="提交评价").click()
    see(page, "社区评价 · 满意 · 5 / 5 · 配送准时，老人满意。")
    problems += violations(page)

    # a resident of the community rates the service on the phone (服务评价): refused without the verdict,
    # at that field with the comment kept; then 基本满意
    resident = session("resident", phone=True)
    page = resident.goto("/")
    menu(page, "/cogov/services/rate/")
    see(page, "服务评价", need)
    row = page.get_by_role("listitem").filter(has_text=need)
    row.get_by_role("group", name="评分（5 分最高）").get_by_label("4", exact=True).check()
    field(row, "评价意见").fill("饭菜可口，希望增加配送次数。")
    row.get_by_role("button", name="提交评价").click()
    row = page.get_by_role("listitem").filter(has_text=need)
    # the message follows the group of radio buttons (not inside its <fieldset>) and is tied to it by
    # aria-describedby, as at every field (templates/forms/field.html)
    verdict = row.get_by_role("group", name="满意程度")
    [error_id] = [
        i for i in (verdict.get_attribute("aria-describedby") or "").split() if i.endswith("_error")
    ]
    expect(row.locator(f"[id='{error_id}']")).to_contain_text("请选择满意、基本满意或不满意。")
    expect(field(row, "评价意见")).to_have_value("饭菜可口，希望增加配送次数。")
    problems += violations(page)
    _fits_the_phone(page)
    verdict.get_by_label("基本满意", exact=True).check()
    row.get_by_role("button", name="提交评价").click()
    see(page, "评价已提交。")
    expect(page.get_by_role("listitem").filter(has_text=need)).to_contain_text("您的评价：基本满意，4 / 5")
    _fits_the_phone(page)

    # the secretary sees it beside the community's own rating
    page = secretary.goto(claim_path)
    see(page, "居民评价 · 基本满意 · 4 / 5 · 饭菜可口，希望增加配送次数。")

    # the rating stays on the partner's record
    page = partner.goto(claim_path)
    page.get_by_role("link", name=PARTNER).first.click()
    see(page, PARTNER)
    expect(page.get_by_role("link", name=need).first).to_be_visible()
    assert not problems, "\n".join(problems)
