"""A Party member checks, on their phone, their study hours of the year and their dues."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import in_english, see


def test_member_checks_study_hours_and_dues(session):
    member = session("member", phone=True)
    page = member.page
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    expect(page.locator("a[href='/members/mine/']").first).to_be_attached()  # their menu leads to the record
    page = member.goto("/members/mine/")
    see(page, "我的党员档案", "周国庆", "东大街社区第一网格党支部")
    in_english(page, "My Party member record")  # the page in English, once
    # the year's study hours against the hours owed (MEMBERS_REQUIRED_STUDY_HOURS), from attended sessions
    expect(page.locator("main")).to_contain_text(re.compile(rf"{year}年学习.*\d+ / 32 学时", re.S))
    # the monthly dues and the months not yet paid
    expect(page.locator("main")).to_contain_text(re.compile(rf"{year}年党费.*每月 \d+\.\d\d 元", re.S))
    see(page, "尚未登记缴纳")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
