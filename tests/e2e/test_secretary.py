"""A branch secretary files next month's plan of meetings, reports a meeting held yesterday with its
attendance (a missing absence reason is refused at the member's row), and records a care visit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import act, field, in_english, see, unique

BRANCH = "东大街社区第一网格党支部"  # the demo secretary's community, grid branch with members


def open_branch(person):
    page = person.goto("/orglife/")
    page.get_by_role("link", name=BRANCH).first.click()
    see(page, BRANCH)
    return page


def test_secretary_files_a_plan_reports_a_meeting_and_records_a_care_visit(session):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    secretary = session("secretary")
    topic = unique("研究冬季走访慰问")

    # the plan (备案单) of a month to come: one meeting; the second, blank row is ignored. A month that has a
    # plan already (an earlier run on the same server) is refused at its field: the next month is tried.
    page = open_branch(secretary)
    in_english(page, "Fill in filing form")  # the page in English, once
    page.get_by_role("link", name="填写备案单").click()
    for months in range(2, 14):
        month = (today.replace(day=1) + timedelta(days=31 * months)).replace(day=1)
        field(page, "备案周期").select_option(label="月度")
        field(page, "周期内任一日期").fill(month.isoformat())
        row = page.get_by_label("类型").first.locator(
            "xpath=ancestor::*[.//input[contains(@name,'topic')]][1]"
        )
        row.get_by_label("类型").select_option(label="支委会")
        row.get_by_label("主题").fill(topic)
        row.get_by_label("日期").fill(month.replace(day=10).isoformat())
        row.get_by_label("开始").fill("15:00")
        row.get_by_label("结束").fill("16:30")
        page.get_by_role("button", name="保存").first.click()
        page.wait_for_load_state()
        if "已有" not in secretary.main_text():
            break
    see(page, "备案单已保存为草稿", BRANCH, topic)
    expect(page.locator("main")).not_to_contain_text("该字段是必填项")
    act(page, "提交备案")
    see(page, "待审核")

    # a meeting held yesterday, reported with its attendance
    page = open_branch(secretary)
    page.get_by_role("link", name="补报会议").click()
    field(page, "类型").select_option(label="支委会")
    field(page, "主题").fill(topic + "（补报）")
    field(page, "召开日期").fill((today - timedelta(days=1)).isoformat())
    field(page, "开始").fill("15:00")
    field(page, "结束").fill("16:30")
    page.get_by_role("button", name="下一步：填写报告单").click()
    see(page, "填写组织生活报告单", "全部出席")
    reason = page.get_by_label("周国庆 的缺席原因")
    member_row = reason.locator("xpath=ancestor::*[.//input[@type='checkbox']][1]")  # the member's row
    member_row.get_by_role("switch", name="缺席").check()
    field(page, "会议记录").fill("传达上级精神，研究冬季走访慰问困难党员名单。")
    page.get_by_role("button", name="保存").first.click()
    # refused: the reason is asked for at 周国庆's row, in Chinese
    expect(member_row).to_contain_text("原因")
    expect(member_row.get_by_role("switch", name="缺席")).to_be_checked()  # what was typed survives
    page.get_by_label("周国庆 的缺席原因").fill("外出务工")
    page.get_by_role("button", name="保存").first.click()
    see(page, "报告单已保存", topic + "（补报）", "周国庆：缺席（外出务工）")
    act(page, "报送上级")
    see(page, "已报送")

    # a care visit to a member the care list puts first (not yet visited this year)
    page = secretary.goto("/members/care/")
    see(page, "党员关爱")
    first = page.locator("a.list-group-item-action").filter(has_text="今年未走访").first
    name = first.locator(".fw-semibold").inner_text().strip()  # whoever the demo puts first
    first.click()
    page.get_by_role("link", name="登记走访").click()
    see(page, "登记关爱走访", name)
    field(page, "走访日期").fill(today.isoformat())
    field(page, "类型").select_option(label="困难帮扶")
    field(page, "帮扶内容").fill("送去米面油，了解冬季取暖情况")
    page.get_by_role("button", name="保存").click()
    see(page, name, "今年已走访", today.isoformat(), "送去米面油")
