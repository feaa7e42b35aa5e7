"""法治, the three-level dispute mediation platform (docs/lawgov.md): the demo's case that the station
referred to mediation for the resident 赵桂兰 (a labour dispute, received at 东大街社区's people's mediation
committee). The community worker finds it on 调解案件, records a session, starts mediation and, the parties
not agreeing, escalates it to the street (the button opens its form; refused at the field without a reason).
The street's mediator finds the same number on their caseload, assigns themself, records a session, starts
mediation and records the agreement; the timeline shows both levels; the printable documents (application,
record, agreement) open with what the case holds. The resident follows the case on 我的纠纷调解 on the
phone; another resident gets 404 on it. axe-core on each page."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASE = "法律咨询转调解：劳动就业"  # the demo's consultation referred to mediation, the resident its applicant
STREET = "街道（乡镇）级"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _step(page, heading: str, **fields: str) -> None:
    """Open a step of the case page (办理) by its heading, fill its fields by label and submit it."""
    step = page.locator("details", has=page.locator("summary", has_text=heading)).first
    if not step.evaluate("el => el.open"):
        step.locator("summary").click()
    for label, value in fields.items():
        field(step, label).fill(value)
    step.get_by_role("button", name="提交").click()
    page.wait_for_load_state()


def _session(page, when: datetime, place: str, mediators: str, record: str) -> None:
    _step(
        page,
        "记录调解会",
        调解时间=when.strftime("%Y-%m-%dT%H:%M"),
        调解地点=place,
        调解员=mediators,
        调解记录=record,
    )
    see(page, record)


def test_a_case_is_escalated_from_the_community_to_the_street_and_settled(session):
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)

    # the community's mediation committee: the case on the caseload
    worker = session("worker")
    page = worker.goto("/lawgov/disputes/caseload/")
    see(page, "调解案件", "在办案件", CASE)
    in_english(page, "Mediation cases", "Open cases")  # the page in English, once
    problems = violations(page)
    page.get_by_role("listitem").filter(has_text=CASE).get_by_role("link").first.click()
    see(page, CASE, "已受理", "社区级 · 人民调解 · 东大街社区", "申请人：赵桂兰")
    number = page.locator("main h1").inner_text().split()[0]
    assert re.fullmatch(r"纠纷-\d{4}-\d{4}", number), number
    case_path = page.url.removeprefix(worker.base_url).split("#")[0]
    problems += violations(page)

    # a session, then mediation starts
    _session(page, now, "社区人民调解室", "刘洋", "申请人要求结清三个月工资，公司称工程款未到账。")
    page.get_by_role("link", name="开始调解").first.click()
    _step(page, "开始调解", 说明="双方同意在社区调委会主持下调解。")
    see(page, "调解中")

    # no agreement: escalated to the street, refused without a reason
    page.get_by_role("link", name=re.compile("上移")).first.click()
    escalate = page.locator("details#escalate")
    expect(escalate).to_have_attribute("open", "")  # the button opens its form
    _step(page, "上移上一级调解")
    expect(field(page, "未能调解成功的原因")).to_have_attribute("aria-invalid", "true")
    problems += violations(page)
    _step(page, "上移上一级调解", 未能调解成功的原因="公司不同意支付，双方同意提交街道人民调解委员会。")
    see(page, "已受理", f"{STREET} · 人民调解 · 东城街道")
    expect(page.locator("main h1")).to_contain_text(number)
    # escalated: the community's secretary, who neither handles nor filed it, reads its summary (issue 16)
    page = session("secretary").goto(case_path)
    see(page, number, f"{STREET} · 人民调解 · 东城街道")
    expect(page.locator("#summary-only")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("赵桂兰")

    # the street's mediator: the same number on the caseload
    mediator = session("mediator")
    page = mediator.goto("/lawgov/disputes/caseload/")
    row = page.get_by_role("listitem").filter(has_text=number)
    expect(row).to_contain_text(STREET)
    row.get_by_role("link", name=number).click()
    see(page, number, CASE, f"{STREET} · 人民调解 · 东城街道")
    step = page.locator("details", has=page.locator("summary", has_text="指派调解员"))
    step.locator("summary").click()
    step.get_by_label("徐德明").check()
    step.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    later = datetime.now(SHANGHAI)
    _session(page, later, "东城街道人民调解委员会", "徐德明", "公司同意分两期支付拖欠工资。")
    page.get_by_role("link", name="开始调解").first.click()
    _step(page, "开始调解")
    see(page, "调解中")

    # settled with its agreement
    agreement = "某装修公司于本月底前支付拖欠工资 15,000 元，下月底前支付余款 9,000 元。"
    page.get_by_role("link", name="调解成功").first.click()
    _step(page, "调解成功：填写调解协议", 调解协议内容=agreement)
    see(page, "调解成功", "调解协议", agreement)
    timeline = page.locator("#stages")
    for text in (
        "社区级 · 人民调解",
        f"{STREET} · 人民调解",
        "申请人要求结清三个月工资",
        "公司同意分两期支付拖欠工资",
        "公司不同意支付，双方同意提交街道人民调解委员会。",
    ):
        expect(timeline).to_contain_text(text)
    problems += violations(page)

    # the documents, drafted from the case
    for name, texts in (
        ("调解申请书", (number, "赵桂兰", "某装修公司（演示）")),
        ("调解笔录", (number, "社区人民调解室", "东城街道人民调解委员会", "公司同意分两期支付拖欠工资。")),
        ("人民调解协议书", (number, agreement)),
    ):
        page = mediator.goto(case_path)
        page.get_by_role("link", name=name).click()
        see(page, name, *texts)
        problems += violations(page)

    # the resident follows the case on the phone; another resident does not see it
    resident = session("resident", phone=True)
    page = resident.goto("/lawgov/disputes/mine/")
    row = page.get_by_role("listitem").filter(has_text=number)
    expect(row).to_contain_text("调解成功")
    expect(row).to_contain_text(STREET)
    problems += violations(page)
    _fits_the_phone(page)
    row.get_by_role("link", name=number).click()
    see(page, number, agreement, "社区级 · 人民调解", f"{STREET} · 人民调解")
    problems += violations(page)
    _fits_the_phone(page)

    other = session("member", phone=True)
    page = other.goto("/lawgov/disputes/mine/")
    expect(page.locator("main")).not_to_contain_text(number)
    assert other.page.goto(case_path).status == 404
    assert not problems, "\n".join(problems)
