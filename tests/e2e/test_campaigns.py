"""Selection campaigns (评选, docs/virtue.md): the demo resident opens 评选活动 from the menu on their phone,
votes for two candidates of 最美志愿者评选 (the receipt code shown once; no ballot afterwards), then raises an
objection to the publicised result of 文明家庭评选. axe-core on each page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import axe
from tests.e2e.helpers import field, in_english, see, unique


def accessible(page) -> None:
    assert not axe.violations(page), axe.violations(page)


def test_resident_votes_in_a_campaign_and_objects_to_a_result(session):
    resident = session("resident", phone=True)
    page = resident.goto("/virtue/campaigns/")
    see(page, "评选活动", "最美志愿者评选", "文明家庭评选")
    in_english(page, "Selection campaigns")  # the page in English, once
    accessible(page)
    page.get_by_role("link", name="最美志愿者评选").click()
    see(page, "群众投票", "候选对象")
    accessible(page)
    boxes = page.locator("input[name=nominations]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="投票", exact=True).click()
    see(page, "投票成功", "回执码")
    expect(page.get_by_role("button", name="投票", exact=True)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page = resident.goto("/virtue/campaigns/")
    page.get_by_role("link", name="文明家庭评选").click()
    see(page, "公示中")
    text = unique("请核实志愿服务记录")
    field(page, "异议内容").fill(text)
    page.get_by_role("button", name="提出异议").click()
    see(page, "异议已提交", text, "待答复")
    accessible(page)
