"""一化 points (docs/virtue.md, "Points"): the demo resident exchanges a good of 东大街社区's points store
on the phone (its photo shown), the community worker hands it over on 积分商城管理 (登记领取), and the
resident's 我的积分 shows the deduction and the exchange 已领取; an environmental action under way: the
resident signs up, checks in with the code the worker shows on site, and finds the attendance points on
我的积分. axe-core on the resident's pages; nothing wider than the phone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

LOCAL = "%Y-%m-%dT%H:%M"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _balance(page) -> int:
    return int(page.locator("[data-balance]").first.inner_text())


def test_a_resident_exchanges_a_good_and_the_worker_hands_it_over(session):
    resident = session("resident", phone=True)
    phone = resident.goto("/")
    menu(phone, "/virtue/store/")
    see(phone, "积分商城", "环保购物袋")
    in_english(phone, "Points store")  # the page in English, once
    before = _balance(phone)
    # a good's photo, served through its scoped address, has loaded
    photo = phone.locator("img[data-item-photo]").first
    expect(photo).to_be_visible()
    assert phone.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    problems = violations(phone)
    _fits_the_phone(phone)
    card = phone.locator("[data-item]").filter(has_text="环保购物袋")
    card.get_by_role("button", name="兑换").click()
    phone.wait_for_load_state()
    see(phone, "兑换成功")
    assert _balance(phone) == before - 5
    record = phone.locator("[data-exchange]").first
    expect(record).to_contain_text("环保购物袋")
    pk = record.get_attribute("data-exchange")

    worker = session("worker")
    page = worker.goto("/virtue/store/manage/")
    row = page.locator(f'[data-exchange="{pk}"]')
    expect(row).to_contain_text("环保购物袋")
    row.get_by_role("button", name="登记领取").click()
    page.wait_for_load_state()
    see(page, "已登记领取")
    expect(page.locator(f'[data-exchange="{pk}"]')).to_have_count(0)

    phone.goto("/virtue/store/")
    expect(phone.locator(f'[data-exchange="{pk}"]')).to_contain_text("已领取")
    menu(phone, "/virtue/points/")
    see(phone, "我的积分", "兑换：环保购物袋")
    assert _balance(phone) == before - 5
    expect(phone.locator("[data-entry]").first).to_contain_text("-5")
    problems += violations(phone)
    _fits_the_phone(phone)
    assert not problems, problems


def test_checking_in_at_an_environmental_action_earns_points(session):
    title = unique("垃圾分类宣传行动")
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    worker = session("worker")
    page = worker.goto("/virtue/actions/")
    page.locator("summary", has_text="发布环保行动").click()
    field(page, "行动类型").select_option(label="垃圾分类")
    field(page, "行动名称").fill(title)
    area = page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "所属区域").select_option(area)
    field(page, "开始时间").fill((now - timedelta(minutes=5)).strftime(LOCAL))
    field(page, "结束时间").fill((now + timedelta(hours=2)).strftime(LOCAL))
    field(page, "报名截止时间").fill((now + timedelta(hours=1)).strftime(LOCAL))
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_load_state()
    code = page.locator("[data-check-in-code]").inner_text().strip()
    assert re.fullmatch(r"\d{4,6}", code), code
    action_url = page.url

    resident = session("resident", phone=True)
    phone = resident.goto("/virtue/points/")
    before = _balance(phone)
    phone.goto(action_url)
    phone.get_by_role("link", name="报名与详情").click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="我要报名").click()
    see(phone, "已报名")
    phone.goto(action_url)
    field(phone, "签到码").fill(code)
    phone.get_by_role("button", name="签到", exact=True).click()
    phone.wait_for_load_state()
    see(phone, "您已签到")
    problems = violations(phone)
    menu(phone, "/virtue/points/")
    see(phone, title)
    assert _balance(phone) == before + 2  # VIRTUE_POINTS_RULES: attendance 2
    expect(phone.locator("[data-entry]").filter(has_text=title)).to_contain_text("+2")
    problems += violations(phone)
    _fits_the_phone(phone)
    assert not problems, problems
