"""一化 journeys of issue 17 not covered elsewhere (docs/e2e.md, docs/virtue.md):

(a) the community worker registers an integrity venue (警示教育栏, which the demo community lacks) with its
    location, uploads a photo (served through the venue's scoped address), finds it on 廉洁文化阵地 and on
    阵地覆盖; the street official's coverage counts 东大街社区 among the communities with that kind;
(b) the verified demo resident nominates a candidate in the secretary's new campaign with a file of materials;
    the secretary sees the nomination and downloads the material through its scoped address, which another
    resident (the demo member) is refused (404);
(the points store's stocking journey: test_virtue_store_stock.py).

axe-core on the pages filled in; one page in English."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, in_english, see, unique

LOCAL = "%Y-%m-%dT%H:%M"
TZ = ZoneInfo("Asia/Shanghai")


def _png(name: str, color: tuple[int, int, int]) -> dict:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (80, 60), color).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def _community(page) -> str:
    return page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")


def test_a_worker_registers_a_venue_with_a_photo_and_it_counts_in_the_coverage(session):
    name = unique("社区警示教育栏")
    worker = session("worker")
    page = worker.goto("/virtue/venues/")
    page.locator("summary", has_text="登记阵地").click()
    field(page, "阵地类型").select_option(label="警示教育栏")
    field(page, "名称").fill(name)
    field(page, "所在区域").select_option(_community(page))
    field(page, "位置").fill("社区活动中心门口")
    field(page, "纬度").fill("29.980100")
    field(page, "经度").fill("103.013500")
    problems = violations(page)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    see(page, "阵地已登记", name, "29.980100")

    field(page, "照片").set_input_files(_png("board.png", (200, 150, 40)))
    field(page, "说明").fill("警示教育栏全景")
    page.get_by_role("button", name="上传照片").click()
    page.wait_for_load_state()
    photo = page.locator("main img[alt='警示教育栏全景']")
    expect(photo).to_be_visible()
    assert re.search(r"/virtue/venues/\d+/photos/\d+/", photo.get_attribute("src") or "")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    problems += violations(page)

    page = worker.goto("/virtue/venues/")
    listed = page.locator("[data-venue]", has_text=name)
    expect(listed).to_contain_text("东大街社区")
    expect(listed).to_contain_text("1")  # its photo
    page.get_by_role("link", name="查看阵地覆盖情况").click()
    page.wait_for_load_state()
    see(page, "阵地覆盖")
    total = page.get_by_role("row").filter(has_text="合计")
    # columns: 社区数, 廉政书屋, 警示教育栏, 廉洁文化墙 — the community now has a warning board
    expect(total.get_by_role("cell").nth(2)).to_have_text(re.compile(r"^\s*1 / 0\s*$"))
    in_english(page, "Venue coverage")  # the page in English, once

    official = session("street")
    page = official.goto("/virtue/venues/coverage/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="东大街社区", exact=True))
    expect(row.get_by_role("cell").nth(2)).to_have_text(re.compile(r"^\s*1 / 0\s*$"))
    problems += violations(page)
    assert not problems, problems


def test_a_resident_nominates_with_materials_the_organiser_downloads_them(session):
    title = unique("最美楼栋长评选")
    organiser = session("secretary")
    page = organiser.goto("/virtue/campaigns/new/")
    field(page, "评选范围").select_option(_community(page))
    field(page, "评选类型").select_option(label="其他评选")
    field(page, "评选名称").fill(title)
    field(page, "评选名额").fill("1")
    field(page, "提名截止时间").fill((datetime.now(TZ) + timedelta(days=3)).strftime(LOCAL))
    page.get_by_role("button", name="发起", exact=True).click()
    page.wait_for_load_state()
    see(page, title, "提名中")
    campaign_url = page.url

    nominee = unique("李楼长")
    resident = session("resident", phone=True)
    phone = resident.goto(campaign_url)
    phone.get_by_role("link", name="提名", exact=True).click()
    phone.wait_for_load_state()
    field(phone, "被提名人或集体").fill(nominee)
    field(phone, "推荐理由和事迹").fill("常年义务打扫楼道，调解邻里矛盾。")
    phone.get_by_label(re.compile(r"^\s*提名材料")).set_input_files(_png("事迹照片.png", (40, 120, 60)))
    problems = violations(phone)
    phone.get_by_role("button", name="提交提名").click()
    phone.wait_for_load_state()
    see(phone, nominee, "事迹照片")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(campaign_url)
    page.locator("[data-nomination]", has_text=nominee).click()
    page.wait_for_load_state()
    see(page, nominee, "待审查")
    link = page.get_by_role("link", name=re.compile("事迹照片"))
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/virtue/nominations/\d+/materials/\d+/", href), href  # the scoped view only
    got = page.request.get(href)
    assert got.status == 200 and got.body()[:8] == b"\x89PNG\r\n\x1a\n", got.status
    problems += violations(page)

    other = session("member", phone=True)  # lives in the area, but the nomination is not yet qualified
    assert other.page.request.get(href).status == 404
    assert not problems, problems
