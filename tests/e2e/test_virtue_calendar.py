"""Warning education for a leadership team, a culture brand with an activity, and the calendar of events
(一化, docs/virtue.md), in the browser. The demo community worker records warning education
(警示教育, 以案说纪) for 东大街社区's leadership team under way, invites the demo Party member and
marks them present on the attendance sheet; the warning education page lists it for the year. The worker
registers a red-culture brand and publishes its activity for tomorrow, open for sign-up; the resident finds
the activity in the calendar of events (活动日历) on their phone (not the invited-only warning education) and
signs up; the worker's calendar, filtered by kind, shows it. axe-core on each page; the calendar once in
English."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, menu, see, unique

LOCAL = "%Y-%m-%dT%H:%M"
TZ = ZoneInfo("Asia/Shanghai")


def test_warning_education_a_brand_activity_and_the_calendar(session):
    problems = []
    now = datetime.now(TZ)
    worker = session("worker")
    page = worker.goto("/virtue/warning/")
    page.locator("summary", has_text="登记一次警示教育").click()
    team = page.locator("select[name=team] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "受教育班子（街道或社区）").select_option(team)
    field(page, "教育形式").select_option(label="以案说纪")
    warning = unique("以案说纪：身边的警示")
    field(page, "名称").fill(warning)
    field(page, "开始时间").fill((now - timedelta(minutes=60)).strftime(LOCAL))
    field(page, "结束时间").fill((now + timedelta(minutes=60)).strftime(LOCAL))
    field(page, "地点").fill("社区党群服务中心")
    problems += violations(page)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    see(page, "警示教育已登记", warning)
    page.locator("summary", has_text="邀请人员").click()
    field(page, "邀请人员").fill("member")
    page.get_by_role("button", name="邀请", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="考勤登记").click()
    page.wait_for_load_state()
    page.get_by_role("row").filter(has_text="周国庆").get_by_label("出席", exact=True).check()
    page.get_by_role("button", name="保存考勤").click()
    page.wait_for_load_state()
    page = worker.goto(f"/virtue/warning/?year={now.year}")
    see(page, warning)
    problems += violations(page)

    page = worker.goto("/virtue/brands/")
    page.locator("summary", has_text="登记文化品牌").click()
    area = page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")
    field(page, "所属社区").select_option(area)
    field(page, "品牌类型").select_option(label="红色文化")
    brand = unique("红色东大街")
    field(page, "品牌名称").fill(brand)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    see(page, brand, "品牌活动")
    problems += violations(page)
    page.locator("summary", has_text="发布品牌活动").click()
    activity = unique("红色故事会")
    starts = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    field(page, "活动名称").fill(activity)
    field(page, "开始时间").fill(starts.strftime(LOCAL))
    field(page, "结束时间").fill((starts + timedelta(hours=2)).strftime(LOCAL))
    field(page, "地点").fill("社区红色书屋")
    field(page, "开放报名").check()
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_load_state()
    see(page, activity)

    month = starts.strftime("%Y-%m")
    resident = session("resident", phone=True)
    phone = resident.goto("/")
    menu(phone, "/virtue/calendar/")
    phone = resident.goto(f"/virtue/calendar/?month={month}")
    main = phone.locator("main")
    expect(main).to_contain_text(activity)
    expect(main).not_to_contain_text(warning)  # invited only: not the resident's
    problems += violations(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name=activity).first.click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="我要报名").click()
    phone.wait_for_load_state()
    see(phone, activity, "取消报名")

    page = worker.goto(f"/virtue/calendar/?month={month}")
    field(page, "类型").select_option(label="品牌活动")
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    see(page, activity)
    in_english(page, "Event calendar", back=False)  # the calendar in English, once
    problems += violations(page)
    assert not problems, problems
