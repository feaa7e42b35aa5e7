"""A grid worker on their phone: logs a visit that needs following up, finds it on their to-do and closes it
with a note; records a resident's complaint heard on the rounds (with a photo and the place), which a
resident of the community supports; a resident submits an opinion of their own. axe-core on the forms."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique


def _today() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the server's local date


def _photo() -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="PNG")
    return {"name": "lamp.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_grid_worker_logs_a_visit_and_closes_its_follow_up(session):
    grid = session("grid", phone=True)
    page = grid.goto("/")
    see(page, "我的走访日志")
    in_english(page, "My visit log")  # the page in English, once
    page.get_by_role("link", name="记录走访").click()
    see(page, "我的走访日志")
    page.locator("summary", has_text="记录一次走访").click()
    problems = violations(page)
    note = unique("联系物业修缮单元门")
    field(page, "走访区域").select_option(index=1)
    field(page, "走访日期").fill(_today())
    field(page, "民情记录").fill("三单元单元门闭门器坏了，风大时门撞得响。")
    page.get_by_label("需要跟进").check()
    field(page, "跟进说明").fill(note)
    page.get_by_role("button", name="保存").click()
    see(page, "走访已记录。", "三单元单元门闭门器坏了")
    _fits_the_phone(page)

    page = grid.goto("/todo/")
    see(page, f"跟进：{note}")
    page.get_by_role("link", name=f"跟进：{note}").first.click()
    see(page, "走访记录", "待跟进", note)
    problems += violations(page)
    page.get_by_role("button", name="办结").click()
    expect(
        page.get_by_text("这个字段是必填项。").or_(page.get_by_text("该字段是必填项。")).first
    ).to_be_visible()
    field(page, "跟进结果").fill("物业已更换闭门器，居民满意。")
    page.get_by_role("button", name="办结").click()
    see(page, "跟进已办结。", "已办结", "物业已更换闭门器")
    _fits_the_phone(page)
    page = grid.goto("/todo/")
    expect(page.locator("main")).not_to_contain_text(note)
    assert not problems, "\n".join(problems)


def test_grid_worker_records_a_complaint_that_a_resident_supports(session):
    grid = session("grid", phone=True)
    page = grid.goto("/")
    page.get_by_role("link", name="代居民登记意见").click()
    see(page, "代居民登记意见")
    problems = violations(page)
    text = unique("小区门口的路灯不亮，晚上出行不安全。")
    resident_field = field(page, "居民")
    labels = resident_field.locator("option").all_inner_texts()
    choice = next(i for i, label in enumerate(labels) if i and "赵桂兰" not in label)
    resident_field.select_option(index=choice)
    field(page, "类别").select_option(index=1)
    field(page, "听到的意见").fill(text)
    field(page, "具体位置").fill("东大街社区北门")
    field(page, "照片").set_input_files(_photo())
    page.get_by_role("button", name="登记").click()
    see(page, text, "东大街社区北门")
    opinion_url = page.url
    _fits_the_phone(page)

    resident = session("resident", phone=True)
    page = resident.goto(opinion_url)
    see(page, text)
    page.get_by_role("button", name="附议").click()
    see(page, "您已附议")
    problems += violations(page)
    assert not problems, "\n".join(problems)


def test_resident_submits_an_opinion(session):
    resident = session("resident", phone=True)
    page = resident.goto("/selfgov/")
    page.get_by_role("link", name="提意见").first.click()
    see(page, "提意见")
    problems = violations(page)
    text = unique("建议在院落里增设两张休息长椅。")
    field(page, "类别").select_option(index=1)
    field(page, "意见内容").fill(text)
    page.get_by_role("button", name="提交").click()
    see(page, text)
    _fits_the_phone(page)
    page = resident.goto("/selfgov/")
    see(page, text[:20])
    assert not problems, "\n".join(problems)
