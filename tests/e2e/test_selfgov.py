"""自治, the matters (docs/selfgov.md): a resident raises an opinion on their phone; the community worker
opens a matter on the board, groups the opinion into it and announces a hearing; the resident comments online
during the hearing. On the demo's matter in 民主决策 a resident votes from their phone, the worker closes the
vote and counts it, and the matter shows the result and moves on to execution. axe-core on each new page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import act, field, in_english, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the forms' times are local
DECIDING = "院内停车位划线管理"  # the demo's matter whose vote is open (民主决策)


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_opinion_becomes_a_matter_with_a_hearing_a_resident_comments_on(session):
    resident = session("resident", phone=True)
    page = resident.goto("/selfgov/opinions/new/")
    opinion = unique("单元楼道的声控灯坏了好几盏，晚上上下楼看不清。")
    field(page, "类别").select_option(index=1)
    field(page, "意见内容").fill(opinion)
    page.get_by_role("button", name="提交").click()
    see(page, opinion)

    # the worker opens a matter on the board
    worker = session("worker")
    page = worker.goto("/selfgov/board/")
    see(page, "民生事项看板", "意见征集", "公开听证", "民主决策")
    in_english(page, "Livelihood matters board", "Public hearing")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name="新建事项").click()
    see(page, "新建民生事项")
    problems += violations(page)
    title = unique("楼道声控灯更换")
    field(page, "涉及范围").select_option(label="东大街社区")
    field(page, "事项名称").fill(title)
    field(page, "类别").select_option(index=1)
    field(page, "事项说明").fill("居民反映楼道照明不足，拟统一更换声控灯。")
    page.get_by_role("button", name="保存").click()
    see(page, title, "意见征集", "尚未归入意见")
    matter_path = page.url.removeprefix(worker.base_url)
    problems += violations(page)

    # groups the resident's opinion into it, from the opinions' list
    page = worker.goto("/selfgov/opinions/?state=submitted")
    page.get_by_role("link", name=opinion[:20]).first.click()
    see(page, opinion, "归入事项")
    problems += violations(page)
    grouping = field(page, "归入事项")
    grouping.select_option(label=title)
    page.get_by_role("button", name="归入", exact=True).click()
    see(page, "已归入事项")
    page = worker.goto(matter_path)
    see(page, title, opinion)

    # a hearing announced: refused without its times, at the field; then published ten days ahead
    page.get_by_role("button", name="公告听证会").click()
    expect(field(page, "开始时间")).to_have_attribute("aria-invalid", "true")
    start = (datetime.now(SHANGHAI) + timedelta(days=10)).replace(hour=15, minute=0)
    field(page, "开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    field(page, "结束时间").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    field(page, "地点").fill("社区党群服务中心二楼会议室")
    field(page, "其他参会方").fill("物业服务中心，物业服务企业")
    page.get_by_role("button", name="公告听证会").click()
    see(page, "公开听证", f"听证会：{title}", "社区党群服务中心二楼会议室")

    # the resident, on the phone, finds it among what waits for them and comments during the hearing
    page = resident.goto("/selfgov/")
    page.get_by_role("link", name=f"听证：{title}").click()
    see(page, title, "在线听证意见")
    problems += violations(page)
    comment = unique("建议先换三楼以上的灯，老人多。")
    field(page, "我的意见").fill(comment)
    page.get_by_role("button", name="发表意见").click()
    see(page, comment)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)


def test_a_resident_decides_on_the_phone_and_the_matter_shows_the_result(session):
    resident = session("resident", phone=True)
    page = resident.goto("/selfgov/")
    see(page, "等待我参与")
    page.get_by_role("link", name=f"表决：{DECIDING}").click()
    see(page, DECIDING, "同意", "不同意")
    problems = violations(page)
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="投票", exact=True).click()
    see(page, "投票成功", DECIDING)
    _fits_the_phone(page)

    worker = session("worker")
    page = worker.goto("/selfgov/board/")
    page.get_by_role("link", name=DECIDING).first.click()
    see(page, DECIDING, "民主决策", "去投票")
    problems += violations(page)
    matter_path = page.url.removeprefix(worker.base_url)
    page.get_by_role("link", name="去投票").click()
    page.get_by_role("button", name="结束投票并计票").click()
    page.wait_for_load_state()
    page = worker.goto(matter_path)
    see(page, "应投", "达到最低参与比例", "通过")
    act(page, "表决通过，交付执行")
    see(page, "执行监督")

    page = resident.goto(matter_path)
    see(page, DECIDING, "执行监督", "通过")
    problems += violations(page)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)
