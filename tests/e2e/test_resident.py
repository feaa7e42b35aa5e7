"""A resident registers on their phone, is verified by the community, signs up for a gathering and finds it
on their home page; then reads the platform in English."""

from playwright.sync_api import expect

from tests.e2e.helpers import act, field, in_english, see, unique


def test_resident_registers_is_verified_and_signs_up(session):
    resident = session(phone=True)
    page = resident.goto("/accounts/register/")
    see(page, "居民注册")
    username = unique("e2e")
    phone = "139" + username[-8:]
    field(page, "用户名").fill(username)
    field(page, "姓名").fill("林小雨")
    field(page, "手机号").fill(phone)
    field(page, "所在社区").select_option(label="东大街社区")
    address = field(page, "居住地址（院落、小区或楼栋）")
    expect(address.locator("option", has_text="惠民院落").first).to_be_attached()  # fetched for the community
    address.select_option(label="第一网格 / 惠民院落")
    field(page, "密码").fill("Yaan-e2e-2026")
    field(page, "密码确认").fill("Yaan-e2e-2026")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="注册").click()
    # signed in, on their request: waiting for the community
    see(page, "注册成功", "实名核验：林小雨", "待核验", "东大街社区 / 第一网格 / 惠民院落")

    worker = session("worker")
    queue = worker.goto("/accounts/verification/")
    row = queue.get_by_role("row").filter(has_text=f"{phone[:3]}****{phone[-4:]}")  # phone numbers are masked
    expect(row).to_contain_text("林小雨")
    row.get_by_role("link", name="核验").click()
    see(queue, "实名核验：林小雨", phone)
    act(queue, "核验通过")
    see(queue, "已核验")

    page = resident.goto("/")
    see(page, "已通过实名核验")
    page = resident.goto("/gatherings/")
    # the demo's lecture (kind 讲座), not 一化's event of the kind 廉洁文化大讲堂
    page.get_by_role("link", name="廉洁文化大讲堂").filter(has_text="讲座").click()
    see(page, "廉洁文化大讲堂", "雅安市文化馆")
    page.get_by_role("button", name="我要报名").click()
    expect(page.locator("#participation")).to_contain_text("已报名")  # htmx swaps the card in place
    expect(page.get_by_role("button", name="取消报名")).to_be_visible()
    page = resident.goto("/gatherings/")  # on the phone, the list marks it as theirs
    gathering = page.get_by_role("link", name="廉洁文化大讲堂").filter(has_text="讲座")
    expect(gathering.locator("xpath=ancestor::*[contains(., '我已报名')][1]")).to_be_visible()
    page = resident.goto("/")
    see(page, "廉洁文化大讲堂")
    # the phone layout: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    in_english(page, "Verified", back=False)
