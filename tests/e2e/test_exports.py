"""An official exports a list with its filters through 导出 Excel: the workbook holds the rows the page
shows (masked as on screen), and the export is in the audit log."""

from openpyxl import load_workbook

from tests.e2e.helpers import in_english, see


def test_the_official_exports_the_partners_list(session, tmp_path):
    official = session("city")
    page = official.goto("/cogov/partners/")
    see(page, "共建单位", "导出 Excel")
    in_english(page, "Partners", "Export to Excel")  # the page in English, once
    shown = page.locator("tr[data-partner] td:first-child a").first.inner_text().strip()
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    path = tmp_path / "partners.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(path)["共建单位"].values)
    assert rows[0][:3] == ("单位名称", "单位类型", "所在区域")
    assert shown in [row[0] for row in rows[1:]]
