"""自治, the rules residents live by (docs/selfgov.md): (a) a courtyard's convention — the community worker
drafts it, opens the discussion, registers a household of two residents and puts the draft to the
residents' vote with 每户签署一次; both residents vote on their phones from 等待我参与; the worker counts the
vote and settles it (已生效); one resident signs, and the other is told the household has signed. (b) The
four systems: the worker publishes a new version of 东大街社区's 民主监督 rules with a note, and a resident
sees it with who published it and when. (c) 随手拍: a resident reports with a photo and a place clicked on
the map, lands on the report's own page, and the worker opens it by that link (the list ranks by support: a
new report may be on any page) and groups it into the demo's matter under collection. axe-core on the new
pages; one page of each journey in English. No sleeps: every step waits for what the person sees."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the forms' times are local
# tier S, seed 1 (docs/demo.md): a courtyard of 东大街社区 without a convention, and two verified residents
# of one of its buildings in no household yet
COURTYARD = "怡心院落"
BUILDING = "怡心院落"  # they live at the courtyard itself (no building)
FIRST, SECOND = ("res00147", "汪杰"), ("res00212", "温蓉")  # (username, name)
WORKER_NAME = "刘洋"  # the demo worker's name, shown as who published a version
COLLECTING = (
    "小区垃圾分类点位调整"  # the demo's matter under collection (意见征集) in the resident's community
)


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def _photo(name: str) -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 110, 100)).save(buffer, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _vote_from_awaiting(person, title: str) -> None:
    """A resident on the phone: 议事协商's 等待我参与 → the convention's vote → 同意."""
    page = person.goto("/selfgov/")
    see(page, "等待我参与")
    page.get_by_role("link", name=f"公约表决：{title}").click()
    see(page, "同意", "不同意")
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="投票", exact=True).click()
    see(page, "投票成功")
    _fits_the_phone(page)


def test_a_courtyard_convention_is_drafted_adopted_by_vote_and_signed_once_per_household(session):
    title = f"{COURTYARD}居民公约"
    worker = session("worker")
    page = worker.goto("/selfgov/conventions/")
    see(page, "院落居民公约")
    problems = violations(page)
    page.get_by_role("button", name=f"为{COURTYARD}起草公约").click()
    see(page, "已建立公约草稿，请编写条文后发起讨论。")
    rule = unique("电动车不进楼道、不入户充电，统一在院内充电棚充电。编号")
    field(page, "正文").fill(
        "# 1 环境卫生\n1.1 垃圾分类投放，不高空抛物。\n# 2 安全\n"
        + f"2.1 {rule}\n2.2 不占用消防通道停放车辆。"
    )
    page.get_by_role("button", name="保存草稿").click()
    see(page, "草稿已保存。")

    # the discussion, then the residents' vote with the rule 每户签署一次
    page = worker.goto("/selfgov/conventions/")
    page.get_by_role("link", name=title).click()
    see(page, title, "公约草稿", rule, "发起居民讨论")
    convention_path = page.url.removeprefix(worker.base_url).split("#")[0]
    in_english(page, "Open the residents' discussion", "Version history")  # the page in English, once
    problems += violations(page)
    now = datetime.now(SHANGHAI)
    field(page, "讨论截止时间").fill(_local(now + timedelta(days=2)))
    page.get_by_role("button", name="发起讨论").click()
    see(page, "已发起讨论。", "居民讨论", "提交居民表决")

    # the two residents of one building become one household (住户: 在此住址建户)
    page = worker.goto("/voting/households/")
    address = page.locator(".card", has_text=FIRST[1]).filter(has_text=SECOND[1]).first
    address.get_by_role("link", name="在此住址建户").click()
    household = unique(f"{BUILDING}-")
    field(page, "户名").fill(household)
    page.get_by_label(FIRST[1], exact=True).check()
    page.get_by_label(SECOND[1], exact=True).check()
    page.get_by_role("button", name="保存").click()
    see(page, f"已建户：{household}")

    page = worker.goto(convention_path)
    field(page, "投票人范围").select_option(value="residents")
    field(page, "开始时间").fill(_local(now - timedelta(minutes=5)))
    field(page, "截止时间").fill(_local(now + timedelta(days=3)))
    field(page, "最低参与比例（%）").fill("1")
    page.get_by_label("每户签署一次").check()
    page.get_by_role("button", name="提交表决").click()
    see(page, "已提交居民表决。", "表决中", "居民表决")

    # both residents vote on their phones, from what awaits them
    first = session(FIRST[0], phone=True)
    _vote_from_awaiting(first, title)
    problems += violations(first.page)
    second = session(SECOND[0], phone=True)
    _vote_from_awaiting(second, title)

    # the worker counts the vote and settles it: the draft is in force
    page = worker.goto(convention_path)
    page.get_by_role("link", name=f"表决：{title}").click()
    see(page, "已投票 2 人（户）")
    page.get_by_role("button", name="结束投票并计票").click()
    expect(page.get_by_role("button", name="结束投票并计票")).to_have_count(0)  # back on the closed vote
    page = worker.goto(convention_path)
    page.get_by_role("button", name="根据表决结果办理").click()
    see(page, "已根据表决结果办理。", "已生效", "现行公约（第 1 版", rule, "每户签署一次")

    # one member signs from 等待我参与; the other is told their household has signed, and not asked again
    page = first.goto("/selfgov/")
    page.get_by_role("link", name=f"签署公约：{title}").click()
    see(page, title, rule, "每户签署一次")
    problems += violations(page)
    page.get_by_role("button", name="我承诺遵守，签署公约").click()
    see(page, "感谢您签署本院落公约。", "您已签署本公约。", "已签署 1 户")
    _fits_the_phone(page)
    page = second.goto("/selfgov/")
    see(page, "议事协商")
    expect(page.get_by_role("link", name=f"签署公约：{title}")).to_have_count(0)
    page = second.goto(convention_path)
    see(page, f"您家（{household}）已有成员签署过该公约，本公约每户签署一次。")
    expect(page.get_by_role("button", name="我承诺遵守，签署公约")).to_have_count(0)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)


def test_a_new_version_of_a_rule_is_published_and_residents_see_who_adopted_it(session):
    today = datetime.now(SHANGHAI).date().isoformat()
    worker = session("worker")
    page = worker.goto("/selfgov/rulebooks/")
    see(page, "社区四项制度", "民主监督")
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("东大街社区")))
    row.locator("td").nth(3).get_by_role("link").click()  # 民主议事, 民主决策, 民主管理, 民主监督
    see(page, "东大街社区", "民主监督", "版本记录")
    problems = violations(page)
    new_draft = page.get_by_role("button", name="起草新版本")
    if new_draft.count():
        new_draft.click()
    else:  # a draft left by an earlier run on the same server
        page.get_by_role("link", name="编辑草稿").click()
    see(page, "编辑草稿")
    item = unique("居务监督委员会每月查看一次平台上的事项执行进度，发现逾期即向社区党组织报告。编号")
    note = unique("经居民代表会议讨论通过，")
    field(page, "正文").fill(
        "# 1 监督主体\n1.1 居务监督委员会对居务公开和事项执行进行监督。\n"
        f"# 2 监督方式\n2.1 每季度检查一次，结果在公示栏和平台公开。\n2.2 {item}"
    )
    field(page, "修订说明").fill(note)
    page.get_by_role("button", name="保存草稿").click()
    see(page, "草稿已保存。")
    page.get_by_role("button", name="发布此版本").click()
    see(page, "原现行版本同时废止")

    # the resident, on the phone: the version in force, who published it and when, the note
    resident = session("resident", phone=True)
    page = resident.goto("/selfgov/rulebooks/")
    see(page, "社区四项制度", "民主监督")
    in_english(page, "The community's four systems")  # the page in English, once
    problems += violations(page)
    page.get_by_role("link", name=re.compile("民主监督")).click()
    see(page, item, f"{WORKER_NAME} 于 {today} 发布", note, "现行")
    problems += violations(page)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)


def test_a_quick_report_with_a_photo_and_a_place_reaches_the_worker(session):
    resident = session("resident", phone=True)
    page = resident.goto("/selfgov/")
    page.get_by_role("link", name="随手拍").first.click()
    see(page, "随手拍", "使用当前位置", "或在地图上点选位置")
    in_english(page, "Quick report", "Use my position")  # the form in English, once
    problems = violations(page)
    chart = page.locator("[data-area-map-pick][data-map-ready]")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    chart.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("[data-area-map-picked]")).to_contain_text("已选位置：经度 1")
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    assert 28 < latitude < 31.5 and 101.5 < longitude < 104, (latitude, longitude)
    report = unique("路口井盖松动，车辆经过哐哐响，编号")
    field(page, "类别").select_option(index=1)
    field(page, "意见内容").fill(report)
    field(page, "照片").set_input_files(_photo("井盖.jpg"))
    page.get_by_role("button", name="提交").click()
    # the report's own page, not the form again (a form shown again keeps its text: the text is no proof)
    page.wait_for_url(re.compile(r"/selfgov/opinions/\d+/$"))
    see(page, report, "随手拍")
    expect(page.get_by_role("img", name="照片")).to_be_visible()
    report_path = page.url.removeprefix(resident.base_url)
    _fits_the_phone(page)

    # the worker opens it by its link and groups it into the matter under collection
    worker = session("worker")
    page = worker.goto(report_path)
    see(page, report, "随手拍", "归入事项")
    problems += violations(page)
    field(page, "归入事项").select_option(label=COLLECTING)
    page.get_by_role("button", name="归入", exact=True).click()
    see(page, "已归入事项", COLLECTING)
    assert not problems, "\n".join(problems)
