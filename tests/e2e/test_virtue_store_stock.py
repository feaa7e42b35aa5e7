"""一化 points store (issue 17, docs/e2e.md): the points-store keeper lists a good with no stock (the resident
sees 已兑完), stocks it (入库 on the list, and on the good's page, where the stock is shown, not typed over;
a wrong quantity refused at the field), the resident exchanges it and cancels the exchange; the keeper's
积分台账 shows the spending 已冲销 and its reversal 冲销记录, and the stock is back. axe-core on the pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.helpers import field, see, unique


def _community(page) -> str:
    return page.locator("select[name=area] option", has_text="东大街社区").first.get_attribute("value")


def test_the_keeper_stocks_a_good_a_resident_exchanges_it_and_the_ledger_shows_it(session):
    name = unique("社区定制帆布袋")
    keeper = session("worker")
    keeper.context.set_default_timeout(30_000)  # saving an item's page waits for its navigation
    page = keeper.goto("/virtue/store/manage/")
    page.locator("summary", has_text="上架商品").click()
    field(page, "社区").select_option(_community(page))
    field(page, "商品名称").fill(name)
    field(page, "兑换所需积分").fill("1")
    field(page, "库存").fill("0")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    row = page.locator("tr[data-item]", has_text=name)
    expect(row).to_contain_text("0")

    resident = session("resident", phone=True)
    phone = resident.goto("/virtue/store/")
    card = phone.locator("[data-item]").filter(has_text=name)
    expect(card.get_by_role("button", name="已兑完")).to_be_disabled()

    # 入库 on the list adds to the stock (never a number typed over it)
    row.get_by_label(f"{name} 入库数量").fill("2")
    row.get_by_role("button", name="入库").click()
    page.wait_for_load_state()
    see(page, "已入库 2 件，现有库存 2。")
    row = page.locator("tr[data-item]", has_text=name)
    expect(row.get_by_role("cell").nth(3)).to_have_text("2")
    # and on the good's page, where the stock is shown, not edited; a wrong quantity is refused at the field
    row.get_by_role("link", name="编辑").click()
    page.wait_for_load_state()
    expect(page.locator("[data-stock]")).to_have_text("2")
    expect(page.locator("input[name=stock]")).to_have_count(0)
    field(page, "入库数量").fill("0")
    page.get_by_role("button", name="入库").click()
    page.wait_for_load_state()
    see(page, "入库数量必须是正整数。")
    field(page, "入库数量").fill("1")
    page.get_by_role("button", name="入库").click()
    page.wait_for_load_state()
    expect(page.locator("[data-stock]")).to_have_text("3")
    problems = violations(page)
    page = keeper.goto("/virtue/store/manage/")
    expect(page.locator("tr[data-item]", has_text=name).get_by_role("cell").nth(3)).to_have_text("3")

    phone.reload()
    before = int(phone.locator("[data-balance]").first.inner_text())
    phone.locator("[data-item]").filter(has_text=name).get_by_role("button", name="兑换").click()
    phone.wait_for_load_state()
    see(phone, "兑换成功")
    assert int(phone.locator("[data-balance]").first.inner_text()) == before - 1
    mine = phone.locator("[data-exchange]").filter(has_text=name)
    mine.get_by_role("button", name="取消兑换").click()
    phone.wait_for_load_state()
    assert int(phone.locator("[data-balance]").first.inner_text()) == before
    problems += violations(phone)

    page = keeper.goto("/virtue/points/ledger/")
    spent = page.locator("[data-entry]").filter(has_text=f"兑换：{name}")
    expect(spent).to_have_count(1)
    expect(spent).to_contain_text("已冲销")
    expect(spent).to_contain_text("-1")
    reversal = page.locator("[data-entry]").filter(has_text="取消兑换：兑换人取消").first  # the newest
    expect(reversal).to_contain_text("冲销记录")
    expect(reversal).to_contain_text("+1")
    expect(reversal).to_contain_text("赵桂兰")
    page = keeper.goto("/virtue/store/manage/")
    expect(page.locator("tr[data-item]", has_text=name).get_by_role("cell").nth(3)).to_have_text("3")
    problems += violations(page)
    assert not problems, problems
