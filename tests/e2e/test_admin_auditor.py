"""A system admin grants a resident a working role; the new community worker signs in to their console; an
auditor filters the audit log down to that grant and exports what they filtered."""

import re
import time

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.helpers import field, in_english, see


def test_admin_grants_a_role_and_the_auditor_finds_and_exports_it(session, tmp_path):
    # a generated resident of the demo (res00001 … res00300, no working role); another one on each run, so
    # that runs against one server (E2E_BASE_URL) do not grant the same role twice
    grantee_name = f"res{int(time.time()) % 290 + 10:05d}"
    admin = session("admin")
    page = admin.goto(f"/accounts/users/?q={grantee_name}")
    person = page.get_by_role("row").filter(has_text=grantee_name).get_by_role("link").first
    name = person.inner_text().strip()  # the display name the log shows
    person.click()
    see(page, grantee_name, "角色授权", "授予角色")
    field(page, "角色").select_option(label="社区工作者")
    page.get_by_role("searchbox", name="查找区域").fill("东大街社区")  # the options come from the search
    area = field(page, "区域")
    option = area.locator("option", has_text="东大街社区").first
    expect(option).to_be_attached()
    area.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="授予").click()
    see(page, "已授予")
    expect(page.get_by_role("row").filter(has_text="社区工作者").first).to_be_visible()

    grantee = session(grantee_name)
    expect(grantee.page.locator("a[href='/accounts/verification/']").first).to_be_attached()  # a console now

    auditor = session("auditor")
    page = auditor.goto("/audit/")
    see(page, "审计日志")
    in_english(page, "Audit log")  # the page in English, once
    field(page, "操作人").fill("admin")
    field(page, "对象类型").select_option(label="角色授权")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"/audit/\?.*actor=admin"))
    entry = page.get_by_role("row").filter(has_text=name).first
    expect(entry).to_contain_text("角色授权")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    path = tmp_path / "audit.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".xlsx")
    rows = [" ".join(str(c) for c in row if c is not None) for row in load_workbook(path).active.values]
    assert any(name in row and "角色授权" in row for row in rows[1:]), rows[:5]
