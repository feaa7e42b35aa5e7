"""The households workbook: one sheet "住户", one row per household and resident (a household without a
resident listed has one row with the two resident columns blank). The sheet name and headers are a file
format, not interface text: they stay in Chinese whatever the interface language."""

from __future__ import annotations

import io
from dataclasses import dataclass

from grassroots.areas.transfer.layout import style_header
from grassroots.imports.xlsx import SafeWorkbook


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    width: int = 16


SHEET = "住户"
HELP_SHEET = "说明"
COLUMNS = (
    Column("address", "住址", required=True, width=36),
    Column("name", "户名", required=True, width=16),
    Column("resident", "居民姓名", width=12),
    Column("username", "居民账号", width=14),
)

HELP_LINES = (
    "住户导入模板",
    "",
    "工作表“住户”：每行一户的一名居民；同一户有几名居民就写几行（住址和户名相同），没有登记居民的户写一行、居民两列留空。",
    "  住址：必填，户所在的社区、网格、院落、小区或楼栋，两种写法任选其一：",
    "        ① 名称路径，从社区写到院落、小区或楼栋，用“/”分隔，如 桥楼社区/第一网格/一号院落/1栋；",
    "           社区重名时在前面加上街道，如 青江街道/桥楼社区/第一网格/一号院落；",
    "        ② 区域编号（纯数字，即区域导出文件中的“编号”）。须在您的管辖范围内。",
    "  户名：必填，如 3栋2单元501，最多100字。同一住址已有同名的户时，居民加入该户。",
    "  居民姓名、居民账号：居民在平台上的姓名和账号（用户名），填写其一即可；有同名居民时须填写账号。",
    "        居民须住在该住址（或其下的院落、楼栋），且不属于其他户；每名居民在文件中只能出现一次。",
    "",
    "任何一行有错误时，整个文件都不会写入；页面会列出每个错误的行号、列和原因，并可下载被拒绝的行，改正后重新上传。",
)


def template_workbook() -> bytes:
    """An empty workbook with the households sheet and its header, and a help sheet (ignored by the
    importer)."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.label for c in COLUMNS])
    style_header(ws, COLUMNS)
    help_sheet = wb.create_sheet(HELP_SHEET)
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
