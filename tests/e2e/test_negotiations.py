"""自治, negotiations (协商, docs/selfgov.md): the community worker opens a negotiation led by the community's
Party committee (refused at the field without its subject), lists the parties — the owners' committee and the
property company by name, a registered unit from the one register —, schedules a session, marks it held on
the gathering's page, records two parties' positions, records the agreement with its signed file (which the
page then serves), adds a follow-up item, records it done and closes the follow-up. axe-core on each page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import act, field, in_english, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARTNER = "雅安康安食品有限公司"  # a unit of the one register (共治's partners)


def _party(page, kind: str, *, name: str = "", role: str = "", partner: str = "") -> None:
    page.locator("summary", has_text="添加参与方").click()
    field(page, "参与方类型").select_option(label=kind)
    if partner:
        field(page, "登记的单位").select_option(label=partner)
    if name:
        field(page, "名称或姓名").fill(name)
    if role:
        field(page, "身份或代表").fill(role)
    page.locator("form", has=field(page, "参与方类型")).get_by_role("button", name="添加").click()
    page.wait_for_load_state()


def test_a_negotiation_reaches_an_agreement_that_is_followed_up(session):
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    worker = session("worker")
    page = worker.goto("/selfgov/negotiations/")
    see(page, "矛盾协商")
    in_english(page, "Negotiations")  # the page in English, once
    problems = violations(page)
    page.get_by_role("link", name="发起协商").click()
    field(page, "涉及范围").select_option(label="东大街社区")
    field(page, "牵头党组织").select_option(label="东大街社区党委")
    field(page, "争议情况").fill("业主反映物业公司拟上调停车管理费，双方意见分歧较大。")
    problems += violations(page)
    page.get_by_role("button", name="保存").click()
    expect(field(page, "协商事项")).to_have_attribute("aria-invalid", "true")
    subject = unique("小区停车管理费调整协商")
    field(page, "协商事项").fill(subject)
    page.get_by_role("button", name="保存").click()
    see(page, subject, "待协商", "参与方")
    negotiation_path = page.url.removeprefix(worker.base_url).split("#")[0]

    # the parties: two by name, one registered unit
    _party(page, "业主委员会", name="东大街小区业主委员会", role="主任 李明")
    _party(page, "物业服务企业", name="雅安安居物业服务有限公司", role="项目经理 陈刚")
    _party(page, "驻区单位", partner=PARTNER, role="行政主管")
    see(page, "东大街小区业主委员会（主任 李明）", "雅安安居物业服务有限公司（项目经理 陈刚）", PARTNER)
    problems += violations(page)

    # a session (a gathering): scheduled, then marked held on its own page
    page.locator("summary", has_text="安排协商会议").click()
    field(page, "开始时间").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    field(page, "结束时间").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    field(page, "地点").fill("社区党群服务中心协商议事室")
    page.get_by_role("button", name="安排会议").click()
    see(page, "协商中", "第 1 次协商", "社区党群服务中心协商议事室")
    page.get_by_role("link", name="第 1 次协商").click()
    see(page, "东大街小区业主委员会")
    act(page, "标记为已召开")
    problems += violations(page)

    # the positions of two parties at that session
    page = worker.goto(negotiation_path)
    for party, text in (
        ("东大街小区业主委员会（主任 李明）", "管理费上调不超过 10%，并公开停车收支明细。"),
        ("雅安安居物业服务有限公司（项目经理 陈刚）", "人工成本上涨，上调 20% 方能维持现有服务。"),
    ):
        page.locator("summary", has_text="记录一方的立场").click()
        field(page, "协商会议").select_option(label="第 1 次协商")
        field(page, "参与方").select_option(label=party)
        field(page, "立场与诉求").fill(text)
        page.locator("form", has=field(page, "立场与诉求")).get_by_role("button", name="记录").click()
        see(page, text)
    problems += violations(page)

    # the agreement with its signed file
    agreement = "管理费上调 12%，物业每季度公示停车收支明细，业委会监督。"
    field(page, "协议内容").fill(agreement)
    field(page, "协议文本（签字扫描件）").set_input_files(
        {"name": "停车管理费协议.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="记录协议，达成协议").click()
    see(page, "已达成协议", agreement, "跟踪落实")
    file_url = page.get_by_role("link", name="协议文本").get_attribute("href")
    served = worker.context.request.get(file_url)
    assert served.ok and served.body().startswith(b"%PDF"), served.status

    # a follow-up item, done; the follow-up completed
    page.locator("summary", has_text="添加落实事项").click()
    field(page, "落实事项").fill("物业在小区公告栏公示第一季度停车收支明细")
    field(page, "责任方").select_option(label="雅安安居物业服务有限公司（项目经理 陈刚）")
    field(page, "完成期限").fill((now.date() + timedelta(days=30)).isoformat())
    page.locator("form", has=field(page, "完成期限")).get_by_role("button", name="添加").click()
    see(page, "物业在小区公告栏公示第一季度停车收支明细")
    page.locator("summary", has_text="登记落实情况").click()
    done = page.locator("form", has=page.get_by_role("button", name="已落实"))
    field(done, "落实事项").select_option(label="物业在小区公告栏公示第一季度停车收支明细")
    field(done, "落实情况").fill("已于公告栏张贴，业委会核对无误。")
    done.get_by_role("button", name="已落实").click()
    see(page, "已于公告栏张贴，业委会核对无误。")
    act(page, "落实完毕")
    see(page, "已跟踪落实")
    problems += violations(page)
    page = worker.goto("/selfgov/negotiations/?state=followed_up")
    expect(page.get_by_role("link", name=subject)).to_be_visible()
    assert not problems, "\n".join(problems)
