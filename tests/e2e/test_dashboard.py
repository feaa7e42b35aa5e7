"""The city official's home is the city's dashboard (the map drawn under the to-do); from the menu, 数据看板:
the map of Ya'an's counties coloured by the chosen figure (the county boundaries of the npm package, drawn
by ECharts); a click on 雨城区 opens 雨城区's dashboard,
where the child areas are a ranked bar chart instead of a map."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import in_english, menu, see


def test_the_city_official_opens_a_county_from_the_map(session):
    official = session("city")
    page = official.goto("/")
    see(page, "待我处理", "雅安市", "年度数据看板", "完整看板（历年、导出）")
    expect(page.locator("[data-block=dashboard] [data-area-map][data-map-ready]")).to_be_visible()
    menu(page, "/dashboard/")
    see(page, "雅安市", "年度数据看板", "下级区域（落后的在前）")
    in_english(page, "Monthly trend")
    chart = page.locator("[data-area-map][data-map-ready]")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", "各县（区）的数值（点击进入该县区的看板）")
    for county in ("雨城区", "名山区", "宝兴县"):
        expect(chart.locator("svg text", has_text=county).first).to_be_visible()
    chart.locator("svg text", has_text="雨城区").first.click()
    page.wait_for_url(re.compile(r"/dashboard/\?area=\d+"))
    expect(page.locator("h1")).to_contain_text("雨城区")
    expect(page.locator("[data-area-map]")).to_have_count(0)
    expect(page.locator("[data-chart-source='gr-children-chart']")).to_be_visible()
