"""A street official issues a task to a community — refused without an admitted affair (社区事务准入), then
issued with one —; the community accepts and submits it, the street approves it, and the city sees it rolled
up."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import act, field, in_english, see, unique


def test_street_issues_community_submits_street_approves_city_sees(session):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    title = unique("冬季消防安全排查")
    street = session("street")
    page = street.goto("/duties/tasks/new/")
    see(page, "新建任务")
    in_english(page, "New task")  # the page in English, once
    field(page, "任务名称").fill(title)
    field(page, "任务内容").fill("排查辖区内老旧院落的消防通道和灭火器。")
    field(page, "下发到").select_option(label="社区")
    field(page, "完成时限").fill((today + timedelta(days=20)).isoformat())
    field(page, "考核权重").fill("5")
    page.get_by_role("button", name="下发").click()
    # refused, at the field, in Chinese: nothing is issued to a community outside the admission catalogue
    affair = field(page, "准入事项")
    expect(affair).to_have_class(re.compile("is-invalid"))
    see(page, "请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）")
    option = affair.locator("option", has_text="社区网格化服务管理").first
    affair.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="下发").click()
    see(page, "任务已下发给", title, "东大街社区", "待接收")
    task_url = page.url

    community = session("secretary")
    page = community.goto("/duties/")
    page.get_by_role("link", name=title).first.click()
    see(page, title, "东大街社区", "待接收", "社区网格化服务管理")
    act(page, "接收任务")
    see(page, "已接收")
    act(page, "开始办理")
    see(page, "办理中")
    act(page, "提交完成情况", "已排查 12 个院落，更换灭火器 8 具。")
    see(page, "待审核")

    page = street.goto(task_url)
    page.get_by_role("row").filter(has_text="东大街社区").get_by_role("link").first.click()
    see(page, title, "待审核", "已排查 12 个院落")
    act(page, "审核通过")
    see(page, "已完成")

    # the city: the street's task in the roll-up, one of nine communities done
    city = session("city")
    page = city.goto(task_url)
    see(page, title, "完成率", "已完成 1")
    expect(page.get_by_role("row").filter(has_text="东大街社区").first).to_contain_text("已完成")
    # and the city's progress page, drilled down level by level to the street's communities
    page = city.goto("/duties/progress/")
    see(page, "雅安市", "任务完成情况", "完成率")
    page.get_by_role("link", name="雨城区").first.click()
    see(page, "雨城区", "任务完成情况")
    page.get_by_role("link", name="东城街道").first.click()
    see(page, "东城街道", "任务完成情况")
    expect(page.get_by_role("row").filter(has_text="东大街社区").first).to_contain_text("%")
