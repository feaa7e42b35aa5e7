"""Voting (docs/voting.md): a community worker puts a question to the community's verified residents; the demo
resident votes on their phone, keeps the receipt code and is refused a second ballot; another resident's
ballot, given in person at a hearing, is entered by the worker with a witness, and a paper code printed for a
third is entered on the code page (once only). axe-core on each page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e import axe
from tests.e2e.helpers import field, in_english, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: the form's times are local


def accessible(page) -> None:
    assert not axe.violations(page), axe.violations(page)


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def _publish_vote(session, title: str):
    """The worker creates a residents' vote on 东大街社区 (open from an hour ago) and publishes it.
    Returns (the vote page's path, the worker's session)."""
    worker = session("worker")
    page = worker.goto("/voting/")
    in_english(page, "Vote")  # the page in English, once
    page.get_by_role("link", name="新建").click()
    accessible(page)
    area = field(page, "区域")
    area.select_option(label="东大街社区")
    field(page, "投票事项").fill(title)
    field(page, "说明").fill("由本社区已实名核验的居民表决。")
    field(page, "投票人范围").select_option(label="本区域已实名核验的居民")
    now = datetime.now(tz=SHANGHAI)
    field(page, "开始时间").fill(_local(now - timedelta(hours=1)))
    field(page, "截止时间").fill(_local(now + timedelta(days=3)))
    field(page, "通过规则").select_option(label="过半数")
    field(page, "最低参与比例（%）").fill("10")
    field(page, "选项").fill("同意\n不同意")
    page.get_by_role("button", name="保存").click()
    see(page, title, "草稿")
    page.get_by_role("button", name="发布").click()
    see(page, "已发布", "选票链校验通过")
    return page.url.removeprefix(worker.base_url), worker


def test_resident_votes_on_the_phone_and_is_refused_a_second_ballot(session):
    title = unique("楼道照明改造表决")
    path, _worker = _publish_vote(session, title)

    resident = session("resident", phone=True)
    page = resident.goto("/voting/")
    accessible(page)
    page.get_by_role("link", name=title).click()
    see(page, title, "已发布", "无记名投票")
    accessible(page)
    # a second tab already showing the ballot: the second attempt, after the first is cast
    other = resident.context.new_page()
    other.goto(path)
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="投票", exact=True).click()
    see(page, "投票成功", title, "无记名投票的回执不显示您的选择。")
    receipt = page.locator("[data-receipt]").inner_text().strip()
    assert len(receipt) == 10, receipt
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    other.get_by_label("不同意", exact=True).check()
    other.get_by_role("button", name="投票", exact=True).click()
    see(other, "您已投过票，每人只能投一次。")
    other.close()

    page = resident.goto(path)  # the vote's page: no ballot any more; the receipt finds the ballot
    see(page, "您已投票。")
    expect(page.get_by_role("button", name="投票", exact=True)).to_have_count(0)
    field(page, "回执码").fill(receipt)
    page.get_by_role("button", name="核对").click()
    see(page, "已计入选票链", "无记名投票的回执不显示选择")
    accessible(page)


def test_worker_enters_a_witnessed_and_a_paper_code_ballot(session):
    title = unique("议事会成员增补表决")
    path, worker = _publish_vote(session, title)
    page = worker.page
    page.get_by_role("link", name="现场见证投票").click()
    see(page, "现场见证投票", title)
    accessible(page)
    field(page, "投票人").fill("member")
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="录入选票").click()  # no witness: refused
    see(page, "请填写见证人。")  # at the field
    accessible(page)
    field(page, "见证人姓名").fill("居务监督委员会主任")
    page.get_by_role("button", name="录入选票").click()
    see(page, "投票成功", "请将回执码交给投票人本人。")
    accessible(page)

    # a paper code for a resident without a smartphone, printed; their paper ballot entered on the code page
    page = worker.goto(path)
    page.get_by_role("link", name="纸质投票码").click()
    accessible(page)
    field(page, "领取投票码的居民").fill("branch")
    page.get_by_role("button", name="生成并打印").click()
    code = page.locator("[data-code]").inner_text().strip()
    assert len(code) == 10, code
    accessible(page)
    page = worker.goto(path)
    page.locator("main").get_by_role("link", name="录入纸质选票").click()  # also in the menu
    see(page, "凭投票码投票")
    accessible(page)
    field(page, "投票码").fill(code)
    page.get_by_role("button", name="下一步").click()
    see(page, title)
    page.get_by_label("不同意", exact=True).check()
    accessible(page)
    page.get_by_role("button", name="投票", exact=True).click()
    see(page, "投票成功")
    page.get_by_role("link", name="返回").click()
    field(page, "投票码").fill(code)  # the same code again: spent
    page.get_by_role("button", name="下一步").click()
    see(page, "投票码无效或已使用。")  # the code page does not tell a spent code from a wrong one

    page = worker.goto(path)
    see(page, "已投票 2 人（户）", "选票链校验通过")
    # the member cannot vote again on their phone
    member = session("member", phone=True)
    page = member.goto(path)
    see(page, "您已投票。")
