"""一化, 绿美雅安·党员先行 (docs/virtue.md): the community worker publishes a clean-up under way (sign-up open
for another hour) and sees the check-in code; a resident on the phone finds it under 绿美雅安, signs up on the
gathering's page; the worker checks them in on the attendance sheet, and the resident's action page says
they are checked in. axe-core on the resident's 一化 pages; nothing wider than the phone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

LOCAL = "%Y-%m-%dT%H:%M"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_signs_up_for_a_clean_up_and_a_worker_checks_them_in(session):
    title = unique("青衣江畔清洁行动")
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    worker = session("worker")
    page = worker.goto("/virtue/actions/")
    in_english(page, "Publish an environmental action")  # the page in English, once
    page.locator("summary", has_text="发布环保行动").click()
    field(page, "行动类型").select_option(label="清洁家园")
    field(page, "行动名称").fill(title)
    area = page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "所属区域").select_option(area)
    field(page, "开始时间").fill((now - timedelta(minutes=5)).strftime(LOCAL))
    field(page, "结束时间").fill((now + timedelta(hours=2)).strftime(LOCAL))
    field(page, "报名截止时间").fill((now + timedelta(hours=1)).strftime(LOCAL))
    field(page, "名额").fill("5")
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_load_state()
    see(page, title, "现场签到码")
    action_url = page.url

    resident = session("resident", phone=True)
    phone = resident.goto("/")
    menu(phone, "/virtue/actions/")
    see(phone, "绿美雅安·党员先行", title)
    problems = violations(phone)
    _fits_the_phone(phone)
    phone.get_by_role("link", name=title).first.click()
    phone.wait_for_load_state()
    assert "现场签到码" not in resident.main_text()
    phone.get_by_role("link", name="报名与详情").click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="我要报名").click()
    see(phone, "已报名")
    problems += violations(phone)  # the gathering page with its 已报名 mark (no faded disabled button)
    _fits_the_phone(phone)

    page.goto(action_url)
    page.get_by_role("link", name="登记出席").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="赵桂兰")
    row.get_by_label("出席", exact=True).check()
    page.get_by_role("button", name="保存考勤").click()
    page.wait_for_load_state()

    phone.goto(action_url)
    see(phone, "您已签到")
    problems += violations(phone)
    _fits_the_phone(phone)
    assert not problems, problems
