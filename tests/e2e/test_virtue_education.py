"""一化 education events and integrity venues (docs/virtue.md): the community worker records an
integrity-culture lecture (廉洁文化大讲堂) under way, invites the demo Party member and marks them present
on the attendance sheet (考勤登记); the member finds the lecture among their study records on their phone
(我的党员档案, entered once by the members part). The street official opens 廉洁文化阵地 and 阵地地图,
where the venues are points on the map of Ya'an's counties (drawn from our own static files, no tiles).
axe-core on the member's and the official's pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

LOCAL = "%Y-%m-%dT%H:%M"


def test_a_lecture_gives_the_member_a_study_record_and_the_official_sees_the_venue_map(session):
    title = unique("廉洁文化大讲堂：清风进社区")
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    worker = session("worker")
    page = worker.goto("/gatherings/new/")
    field(page, "类型").select_option(label="廉洁文化大讲堂")
    field(page, "名称").fill(title)
    area = page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "所属区域").select_option(area)
    field(page, "开始时间").fill((now - timedelta(minutes=90)).strftime(LOCAL))
    field(page, "结束时间").fill((now + timedelta(minutes=30)).strftime(LOCAL))
    field(page, "地点").fill("社区党群服务中心")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    see(page, title)
    page.locator("summary", has_text="邀请人员").click()
    field(page, "邀请人员").fill("member")
    page.get_by_role("button", name="邀请", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="考勤登记").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="周国庆")
    row.get_by_label("出席", exact=True).check()
    page.get_by_role("button", name="保存考勤").click()
    page.wait_for_load_state()

    member = session("member", phone=True)
    phone = member.goto("/members/mine/")
    records = phone.locator("[data-study-records]")
    records.locator("summary").click()
    expect(records).to_contain_text(title)
    problems = violations(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    official = session("street")
    page = official.goto("/")
    menu(page, "/virtue/venues/")
    see(page, "廉政书屋")
    in_english(page, "Integrity venues")  # the page in English, once
    problems += violations(page)
    menu(page, "/virtue/venues/map/")
    see(page, "阵地地图", "廉政书屋")
    chart = page.locator("[data-area-map]")
    expect(chart).to_have_attribute("data-map-ready", "1")
    # the counties of Ya'an as the base map, the venues as labelled points on it
    expect(chart.locator("svg text", has_text="雨城区").first).to_be_attached()
    expect(chart.locator("svg text", has_text="廉政书屋").first).to_be_attached()
    problems += violations(page)
    assert not problems, problems
