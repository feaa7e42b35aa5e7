"""自治, steps 4–5 of a matter (docs/selfgov.md): the community worker plans the execution of the demo's
matter just adopted (owner, budget, weighted milestones — refused at the field when the weights do not make
100), marks the milestones done and posts an update with a photo; a Party member joins the residents'
supervision committee and records a check from their phone; the worker opens the public evaluation, residents
rate on their phones (不满意 refused without its reason, at the field); the round closes by the clock (pinned
past the window) and the result shows on the matter's page. axe-core on each page."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import act, field, in_english, see

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADOPTED = "小区围墙修缮"  # the demo's matter adopted by its vote, waiting for its plan (selfgov/demo.py)


def _photo(name: str) -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 90)).save(buffer, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _rate(person, matter_path: str, level: str, comment: str = "") -> list[str]:
    """A resident on the phone: from 议事协商's 等待我参与 to the matter's rating form."""
    page = person.goto("/selfgov/")
    page.get_by_role("link", name=f"评议：{ADOPTED}").click()
    assert page.url.removeprefix(person.base_url).startswith(matter_path)
    see(page, "5. 公开评议", "提交评价")
    problems = violations(page)
    page.get_by_label(level, exact=True).check()
    if comment:
        field(page, "意见").fill(comment)
    page.get_by_role("button", name="提交评价").click()
    see(page, f"您已评价：{level}")
    _fits_the_phone(page)
    return problems


def test_a_matter_is_carried_out_supervised_and_rated_by_residents(session, clock):
    today = datetime.now(SHANGHAI).date()
    worker = session("worker")
    page = worker.goto("/selfgov/board/")
    in_english(page, "Livelihood matters board")  # the page in English, once
    page.get_by_role("link", name=ADOPTED).first.click()
    see(page, ADOPTED, "4. 执行监督", "尚未制定执行计划。")
    matter_path = page.url.removeprefix(worker.base_url).split("#")[0]
    problems = violations(page)

    # the plan: owner, budget, milestones — weights of 90 refused at the field, then 100
    field(page, "责任人").select_option(label="刘洋")
    field(page, "责任单位").fill("社区居委会")
    field(page, "预算（元）").fill("18000")
    milestones = [
        f"方案公示，30，{(today + timedelta(days=10)).isoformat()}",
        f"围墙修缮施工，60，{(today + timedelta(days=30)).isoformat()}",
    ]
    field(page, "执行节点").fill("\n".join(milestones))
    page.get_by_role("button", name="保存计划").click()
    expect(field(page, "执行节点")).to_have_attribute("aria-invalid", "true")
    see(page, "各节点的权重之和须为 100（现为 90）")
    milestones.append(f"验收与结果公示，10，{(today + timedelta(days=40)).isoformat()}")
    field(page, "执行节点").fill("\n".join(milestones))
    page.get_by_role("button", name="保存计划").click()
    see(page, "责任人：刘洋（社区居委会）", "预算：18000", "方案公示", "围墙修缮施工", "验收与结果公示")
    expect(page.get_by_role("progressbar", name="执行进度")).to_have_attribute("aria-valuenow", "0")

    # progress: a milestone done (30 %), an update with a photo, the others done (100 %)
    field(page, "执行节点").first.select_option(label="方案公示")
    page.get_by_role("button", name="标记完成").click()
    expect(page.get_by_role("progressbar", name="执行进度")).to_have_attribute("aria-valuenow", "30")
    update = "围墙修缮方案已在各院落公示，施工队进场。"
    field(page, "进展情况").fill(update)
    field(page, "照片").set_input_files(_photo("施工进场.jpg"))
    page.get_by_role("button", name="发布进展").click()
    see(page, update)
    expect(page.get_by_role("img", name="进展照片").first).to_be_visible()
    assert page.get_by_role("img", name="进展照片").first.evaluate("img => img.naturalWidth") > 0
    for title in ("围墙修缮施工", "验收与结果公示"):
        field(page, "执行节点").first.select_option(label=title)
        page.get_by_role("button", name="标记完成").click()
        page.wait_for_load_state()
    expect(page.get_by_role("progressbar", name="执行进度")).to_have_attribute("aria-valuenow", "100")
    problems += violations(page)

    # the supervision committee: the worker seats a resident (the member 周国庆), who checks on the phone
    page = worker.goto("/selfgov/supervisors/")
    see(page, "居务监督委员会")
    problems += violations(page)
    field(page, "居民").select_option(label="周国庆")
    page.get_by_role("button", name="加入监督委员会").click()
    see(page, "周国庆")
    member = session("member", phone=True)
    page = member.goto(matter_path)
    finding = "现场查看：新砌围墙牢固，施工垃圾已清运，建议补刷墙面涂料。"
    field(page, "监督发现").fill(finding)
    field(page, "照片").set_input_files(_photo("检查.jpg"))
    page.get_by_role("button", name="记录检查").click()
    see(page, finding, "周国庆")
    problems += violations(page)
    _fits_the_phone(page)

    # the evaluation opens; residents rate on their phones
    page = worker.goto(matter_path)
    act(page, "执行完毕，开始评议")
    see(page, "公开评议", "已评价 0 人")
    resident = session("resident", phone=True)
    problems += _rate(resident, matter_path, "满意")
    problems += _rate(member, matter_path, "基本满意")
    branch = session("branch", phone=True)
    page = branch.goto(matter_path)
    page.get_by_label("不满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(field(page, "意见")).to_have_attribute("aria-invalid", "true")  # 不满意 needs its reason
    problems += _rate(branch, matter_path, "不满意", "墙面还没刷，颜色和原来的不一致。")
    page = worker.goto(matter_path)
    see(page, "已评价 3 人：满意 1，基本满意 1，不满意 1", "满意率 66.67%")

    # the window passes: the clock's task counts the round (2 of 3 ≥ 60 %) and the matter is done
    closed = clock(datetime.now(SHANGHAI) + timedelta(days=8), "selfgov.close_evaluations")
    assert closed, closed
    page = resident.goto(matter_path)
    see(
        page,
        ADOPTED,
        "已办结",
        "第 1 轮：评价 3 人（满意 1，基本满意 1，不满意 1）",
        "满意率 66.67%",
        "达到门槛",
    )
    problems += violations(page)
    _fits_the_phone(page)
    assert not problems, "\n".join(problems)
