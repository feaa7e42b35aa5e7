"""The workbook layout shared by the import template, the importer and the export.

The sheet names and column headers are a file format, not interface text: they stay in Chinese whatever the
interface language, so that a file exported in one language imports in the other (see docs/areas.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from grassroots.areas.rules import KIND_FILE_NAME, LEVEL_FILE_NAME
from grassroots.imports.xlsx import SafeWorkbook


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    width: int = 16


AREA_SHEET = "区域"
ORG_SHEET = "党组织"
HELP_SHEET = "说明"
REASON_LABEL = "错误原因"

AREA_COLUMNS = (
    Column("key", "编号", width=12),
    Column("name", "名称", required=True, width=24),
    Column("level", "层级", required=True, width=12),
    Column("code", "区划代码", width=16),
    Column("parent_key", "上级编号", width=12),
    Column("parent_code", "上级区划代码", width=16),
)
ORG_COLUMNS = (
    Column("key", "编号", width=12),
    Column("name", "名称", required=True, width=28),
    Column("kind", "类型", required=True, width=10),
    Column("code", "组织编码", width=16),
    Column("area_key", "所在区域编号", width=14),
    Column("area_code", "所在区域区划代码", width=18),
    Column("parent_key", "上级组织编号", width=14),
    Column("parent_code", "上级组织编码", width=16),
    Column("secretary", "书记用户名", width=14),
)
SHEETS = {AREA_SHEET: AREA_COLUMNS, ORG_SHEET: ORG_COLUMNS}

HELP_LINES = (
    "区域与党组织导入模板（导出文件使用相同格式，可直接导入到其他系统）",
    "",
    "工作表“区域”：每行一个区域，上级必须写在下级之前。",
    "  编号：本文件内的行标识，可任意填写（如 W1），供后面的行引用；",
    "        没有区划代码的区域需要被引用时必须填写。",
    "  名称、层级：必填。层级可填：市、县（区）/县/区、街道（乡镇）/街道/乡/镇、",
    "        社区/村、网格、院落、小区、楼栋。",
    "  区划代码：国家统计局统计用区划代码，最多12位数字，可空，不得重复。",
    "  上级编号 / 上级区划代码：二选一。上级可以是系统中已有的区域（填区划代码），或本文件中前面的行。",
    "  下级的层级必须低于上级（可以跳级，如小区直接挂在社区下）。上级必须在您的管辖范围内。",
    "",
    "工作表“党组织”：每行一个党组织，上级组织必须写在下级之前。",
    "  名称、类型：必填。类型可填：党委、党总支、党支部、党小组。",
    "  所在区域编号 / 所在区域区划代码：二选一，指向“区域”表中的行或系统中已有的区域。",
    "  上级组织编号 / 上级组织编码：二选一或都不填（党小组必须有上级党支部）。",
    "  隶属关系：党总支隶属党委；党支部隶属党总支或党委；党小组隶属党支部；",
    "        上级组织所在区域须包含本组织所在区域。",
    "  书记用户名：可空；须为您管辖范围内的用户。",
    "",
    "任何一行有错误时，整个文件都不会写入；页面会列出每个错误的工作表、行号、列和原因，并可下载被拒绝的行。",
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FDE7E7")


def style_header(ws, columns) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        if column.required:
            cell.fill = _HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = column.width
    ws.freeze_panes = "A2"


def template_workbook() -> bytes:
    """An empty workbook with both sheets, their headers, drop-down lists for level and kind, and a help
    sheet (ignored by the importer)."""
    wb = SafeWorkbook()
    areas = wb.active
    areas.title = AREA_SHEET
    areas.append([c.label for c in AREA_COLUMNS])
    style_header(areas, AREA_COLUMNS)
    levels = DataValidation(type="list", formula1='"' + ",".join(LEVEL_FILE_NAME.values()) + '"')
    levels.add("C2:C20000")
    areas.add_data_validation(levels)

    orgs = wb.create_sheet(ORG_SHEET)
    orgs.append([c.label for c in ORG_COLUMNS])
    style_header(orgs, ORG_COLUMNS)
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_FILE_NAME.values()) + '"')
    kinds.add("C2:C20000")
    orgs.add_data_validation(kinds)

    help_sheet = wb.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 120
    for line in HELP_LINES:
        help_sheet.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
