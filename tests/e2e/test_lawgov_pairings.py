"""法治, dual reporting and pairing (双报到结对, docs/lawgov.md): the demo's Party member is a cadre of the
county court paired with a household of 东大街社区. On the phone their home shows 我的结对 with this year's
services; they open the pairing and record a visit — refused at 服务时长 with 30 hours, recorded with 2 (the
record and the year's hours then show on the home block). The community secretary finds the pairing on
双报到结对 with its service count and hours, and 法治数据 counts the pairings and their hours. axe-core on
each page, nothing wider than the phone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

SHANGHAI = ZoneInfo("Asia/Shanghai")
COURT = "雨城区人民法院"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_court_cadre_records_a_service_of_their_pairing(session):
    today = datetime.now(SHANGHAI).date()
    visit = unique("入户走访，讲解遗嘱与继承")
    cadre = session("member", phone=True)
    page = cadre.goto("/")
    block = page.locator("[data-block=lawgov_pairings]")
    expect(block).to_contain_text("我的结对")
    expect(block).to_contain_text(COURT)
    problems = violations(page)
    block.get_by_role("link", name=COURT).first.click()
    see(page, COURT, "结对中", "每月入户走访一次", "入户走访，讲解赡养义务")
    pairing_path = page.url.removeprefix(cadre.base_url)
    problems += violations(page)
    _fits_the_phone(page)

    # refused at the field with 30 hours; what was typed is kept
    form = page.locator("form#service")
    field(form, "服务日期").fill(today.isoformat())
    field(form, "服务内容").fill(visit)
    field(form, "服务时长（小时）").fill("30")
    form.get_by_role("button", name="记录服务").click()
    page.wait_for_load_state()
    form = page.locator("form#service")
    expect(field(form, "服务时长（小时）")).to_have_attribute("aria-invalid", "true")
    expect(form).to_contain_text("服务时长应大于 0 且不超过 24 小时。")
    expect(field(form, "服务内容")).to_have_value(visit)
    problems += violations(page)
    field(form, "服务时长（小时）").fill("2")
    form.get_by_role("button", name="记录服务").click()
    see(page, "服务已记录。", visit)
    assert page.url.removeprefix(cadre.base_url).startswith(pairing_path)
    _fits_the_phone(page)

    # the home block counts it
    page = cadre.goto("/")
    expect(page.locator("[data-block=lawgov_pairings]")).to_contain_text(f"{today.year} 年服务")
    _fits_the_phone(page)

    # the community: the pairing on 双报到结对, and the figures
    secretary = session("secretary")
    page = secretary.goto("/")
    menu(page, "/lawgov/pairings/")
    see(page, "双报到结对", COURT)
    in_english(page, "Dual registration pairings")  # the page in English, once
    problems += violations(page)
    page = secretary.goto(pairing_path)
    see(page, visit)
    page = secretary.goto(f"/lawgov/figures/?year={today.year}")
    card = page.locator("[data-figure=pairings]")
    expect(card).not_to_have_text("0")
    expect(page.locator("[data-figure=pairing_services]")).to_contain_text("小时")
    problems += violations(page)
    assert not problems, "\n".join(problems)
