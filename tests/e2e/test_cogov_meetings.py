"""共治, joint meetings and their follow-up (docs/cogov.md): the community secretary convenes a meeting of
the community's joint-meeting body (联席会议), marks it held, records the member units' attendance and the
minutes, and turns a decision into an action item of a member unit; the unit's representative, on their phone,
finds it, reports it done with an evidence file; the secretary sends it back with a reason, the representative
reports again and the secretary verifies it. axe-core on each page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import act, field, in_english, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")
BODY = "东大街社区共驻共建联席会议"  # the demo community's body (cogov/demo_meetings.py)
PARTNER = "雅安康安食品有限公司"  # a member unit, the demo representative's


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _report_done(page, note: str, evidence: str) -> None:
    """The owner's step 报告完成: what was done, with an evidence file."""
    step = page.locator("details", has=page.locator("summary", has_text="报告完成")).first
    step.locator("summary").click()
    step.get_by_label("完成情况").fill(note)
    step.locator("input[type=file]").set_input_files(
        {"name": evidence, "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    step.get_by_role("button", name="确认报告完成").click()
    page.wait_for_load_state()


def test_a_joint_meeting_decision_is_followed_up_to_verification(session):
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    secretary = session("secretary")
    page = secretary.goto("/cogov/joint-meetings/")
    see(page, "联席会议", BODY)
    in_english(page, "Joint meeting")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name=BODY).first.click()
    see(page, BODY, "成员单位", PARTNER)
    problems += violations(page)
    page.get_by_role("link", name="安排会议").click()
    title = unique("东大街社区共驻共建联席会议（临时）")
    field(page, "会议名称").fill(title)
    field(page, "开始时间").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    field(page, "结束时间").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    field(page, "地点").fill("社区党群服务中心一楼")
    page.get_by_role("button", name="安排并通知成员单位").click()
    expect(field(page, "会议议程")).to_have_attribute("aria-invalid", "true")  # the agenda is required
    field(page, "会议议程").fill("一、通报背街小巷环境整治进展\n二、商定共建单位认领任务")
    problems += violations(page)
    page.get_by_role("button", name="安排并通知成员单位").click()
    see(page, title, "会议议程", "通报背街小巷环境整治进展")
    meeting_path = page.url.removeprefix(secretary.base_url)

    # held; the member units' attendance; the minutes
    page.get_by_role("button", name="标记为已召开").click()
    page.wait_for_load_state()
    row = page.locator("form .row", has=page.get_by_label(PARTNER, exact=True))
    row.get_by_label(PARTNER, exact=True).check()
    row.get_by_label("参会人员").fill("吴晓东")
    page.get_by_role("button", name="登记出席").click()
    page.wait_for_load_state()
    expect(page.get_by_label(PARTNER, exact=True)).to_be_checked()
    expect(
        page.locator("form .row", has=page.get_by_label(PARTNER, exact=True)).get_by_label("参会人员")
    ).to_have_value("吴晓东")
    minutes = "会议通报了整治进展，康安食品承诺认领北巷门店前的卫生保洁。"
    field(page, "会议记录").fill(minutes)
    page.get_by_role("button", name="保存会议记录").click()
    page.wait_for_load_state()
    expect(field(page, "会议记录")).to_have_value(minutes)

    # a decision → an action item of the member unit, with a deadline
    decision = unique("康安食品负责北巷门店前卫生保洁")
    field(page, "决定事项").fill(decision)
    field(page, "责任单位").select_option(label=PARTNER)
    field(page, "完成期限").fill((now.date() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="列为督办事项").click()
    see(page, decision)
    problems += violations(page)

    # the representative, on the phone: the item on their list, reported done with evidence
    partner = session("partner", phone=True)
    page = partner.goto("/cogov/action-items/")
    see(page, "督办事项", decision)
    problems += violations(page)
    _fits_the_phone(page)
    page.get_by_role("link", name=decision).first.click()
    see(page, decision, "待落实", title)
    item_path = page.url.removeprefix(partner.base_url)
    _report_done(page, "已安排两名员工每日早晚清扫。", "保洁排班表.pdf")
    see(page, "已完成待核验", "已安排两名员工每日早晚清扫。", "保洁排班表.pdf")
    problems += violations(page)
    _fits_the_phone(page)

    # the secretary sends it back with a reason; reported again; verified
    page = secretary.goto(item_path)
    see(page, decision, "已完成待核验", "保洁排班表.pdf")
    problems += violations(page)
    act(page, "退回", "请补充清扫前后的现场照片。")
    see(page, "待落实", "上次退回理由", "请补充清扫前后的现场照片。")
    page = partner.goto(item_path)
    see(page, "请补充清扫前后的现场照片。")
    _report_done(page, "已补充清扫前后的现场照片。", "现场照片.pdf")
    page = secretary.goto(item_path)
    act(page, "核验通过")
    see(page, "已核验", "现场照片.pdf")
    page = secretary.goto(meeting_path)
    see(page, decision)
    assert not problems, "\n".join(problems)
