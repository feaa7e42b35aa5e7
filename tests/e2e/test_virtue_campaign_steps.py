"""The organizer's steps of a selection campaign (评选, docs/virtue.md), in the browser: the demo community's
secretary starts a campaign (发起评选), nominates two candidates for their organization, closes the
nominations, reviews each nomination (资格审查), opens the public vote for a window of a few minutes; the
demo resident votes; once the window is over the secretary counts and publicises the result; the resident
objects to it; the award is refused before the publicity ends, and the clock (its task `virtue.campaigns`, run
at a moment past the publicity) does not award while the objection is open — once the secretary answers it,
it does, and the campaign shows 已评定 with the winner 当选. axe-core on each page; the campaign page once in
English."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique

LOCAL = "%Y-%m-%dT%H:%M"
TZ = ZoneInfo("Asia/Shanghai")


def test_the_organizer_walks_a_campaign_from_creation_to_award(session, clock):
    title = unique("好党员志愿者评选")
    problems = []
    organizer = session("secretary")
    page = organizer.goto("/virtue/campaigns/")
    page.get_by_role("link", name="发起评选").click()
    page.wait_for_load_state()
    area = page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "评选范围").select_option(area)
    field(page, "评选类型").select_option(label="其他评选")
    field(page, "评选名称").fill(title)
    field(page, "评选名额").fill("1")
    field(page, "每人可投票数").fill("1")
    field(page, "提名截止时间").fill((datetime.now(TZ) + timedelta(days=3)).strftime(LOCAL))
    problems += violations(page)
    page.get_by_role("button", name="发起", exact=True).click()
    page.wait_for_load_state()
    see(page, title, "提名中")
    campaign_url = page.url

    for nominee in ("陈志明", "刘桂芳"):
        page.goto(campaign_url)  # a nomination submitted opens its own page
        page.get_by_role("link", name="提名", exact=True).click()
        page.wait_for_load_state()
        field(page, "被提名人或集体").fill(nominee)
        field(page, "推荐理由和事迹").fill("多年坚持为社区老人义务理发，事迹经居民小组核实。")
        # the nominating organization: one the secretary acts for, inside the campaign's area (a select)
        unit = field(page, "提名单位")
        unit.select_option(unit.locator("option", has_text="东大街社区").first.get_attribute("value"))
        page.get_by_role("button", name="提交提名").click()
        page.wait_for_load_state()
        see(page, nominee)
    page.goto(campaign_url)
    see(page, "陈志明", "刘桂芳")
    page.get_by_role("button", name="截止提名，开始资格审查").click()
    page.wait_for_load_state()
    see(page, "资格审查")
    for nominee in ("陈志明", "刘桂芳"):
        page.locator("[data-nomination]", has_text=nominee).click()
        page.wait_for_load_state()
        problems += violations(page)
        page.get_by_label("资格审查通过").check()
        page.get_by_role("button", name="保存审查结果").click()
        page.wait_for_load_state()
        page.goto(campaign_url)

    # The vote's window: from this minute to the end of the next but one (a few minutes at most).
    now = datetime.now(TZ)
    closes = (now + timedelta(minutes=2)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    field(page, "投票开始时间").fill(now.strftime(LOCAL))
    field(page, "投票截止时间").fill(closes.strftime(LOCAL))
    page.get_by_role("button", name="开始群众投票").click()
    page.wait_for_load_state()
    see(page, "群众投票已开始", "候选对象")
    problems += violations(page)

    resident = session("resident", phone=True)
    phone = resident.goto(campaign_url)
    phone.locator("input[name=nominations]").nth(0).check()
    phone.get_by_role("button", name="投票", exact=True).click()
    see(phone, "投票成功", "回执码")

    wait = (closes - datetime.now(TZ)).total_seconds() + 2
    if wait > 0:
        time.sleep(wait)
    page.reload()
    page.get_by_role("button", name="计票并公示结果").click()
    page.wait_for_load_state()
    see(page, "评选结果已进入公示", "公示中", "拟评定", "1 票")

    phone.reload()
    text = unique("请核实义务理发的次数")
    field(phone, "异议内容").fill(text)
    phone.get_by_role("button", name="提出异议").click()
    see(phone, "异议已提交", text)
    problems += violations(phone)

    page.reload()
    page.get_by_role("button", name="评定", exact=True).click()
    page.wait_for_load_state()
    see(page, "期满后才能评定")  # the publicity lasts five days
    after_publicity = datetime.now(TZ) + timedelta(days=6)
    clock(after_publicity, "virtue.campaigns")
    page.reload()
    see(page, "公示中")  # the open objection holds the award back
    objection = page.locator("li", has_text=text)
    objection.get_by_role("textbox").fill("经核实，近三年义务理发记录完整。")
    objection.get_by_role("button", name="答复").click()
    page.wait_for_load_state()
    see(page, "异议已答复")
    clock(after_publicity, "virtue.campaigns")
    page.reload()
    see(page, "已评定", "当选")
    in_english(page, "Selection campaigns", back=False)  # the campaign page in English, once
    problems += violations(page)
    assert not problems, problems
