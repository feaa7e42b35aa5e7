"""Read the uploaded workbook into plain rows (no database access), through the one reader of every import
(grassroots.imports.reading: the file's checks, cell text, header labels)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.areas.transfer.layout import AREA_SHEET, ORG_SHEET, SHEETS
from grassroots.imports.reading import UnreadableWorkbook, cell_text, header_key, open_workbook
from grassroots.imports.xlsx import RowError  # one row error for every importer

__all__ = ["Row", "RowError", "Sheet", "cell_text", "read_workbook"]


@dataclass
class Row:
    number: int
    values: dict[str, str | None]  # column key → cleaned text (None when blank)
    raw: list  # every cell of the row as read, for the rejected-rows file


@dataclass
class Sheet:
    name: str
    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def _plain(value):
    """A JSON-safe copy of a cell value (dates become text)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def read_workbook(file) -> tuple[dict[str, Sheet], list[RowError]]:
    """The "区域" and "党组织" sheets of `file` (either may be absent, not both), with empty rows skipped;
    or the errors that make the file unreadable (not xlsx, missing sheets or required columns)."""
    try:
        wb = open_workbook(file)
    except UnreadableWorkbook as exc:
        return {}, [RowError("", 0, "", exc.message)]
    sheets: dict[str, Sheet] = {}
    errors: list[RowError] = []
    try:
        names = {name.strip(): name for name in wb.sheetnames}
        for sheet_name, columns in SHEETS.items():
            if sheet_name not in names:
                continue
            ws = wb[names[sheet_name]]
            rows = ws.iter_rows(values_only=True)
            header_values = next(rows, None) or ()
            header = [header_key(v) for v in header_values]
            positions = {label: index for index, label in reversed(list(enumerate(header)))}
            sheet = Sheet(sheet_name, header=header)
            missing = [c for c in columns if c.required and c.label not in positions]
            for column in missing:
                errors.append(RowError(sheet_name, 1, column.label, _("缺少此列，请使用导入模板的表头")))
            if missing:
                continue
            for number, values in enumerate(rows, start=2):
                if values is None or all(cell_text(v) is None for v in values):
                    continue
                cleaned = {
                    c.key: cell_text(values[positions[c.label]])
                    if c.label in positions and positions[c.label] < len(values)
                    else None
                    for c in columns
                }
                sheet.rows.append(Row(number, cleaned, [_plain(v) for v in values]))
            sheets[sheet_name] = sheet
    except UnreadableWorkbook as exc:  # a sheet that does not parse
        return {}, [RowError("", 0, "", exc.message)]
    finally:
        wb.close()
    if not sheets and not errors:
        errors.append(
            RowError(
                "",
                0,
                "",
                _("找不到工作表“%(a)s”或“%(o)s”，请使用导入模板") % {"a": AREA_SHEET, "o": ORG_SHEET},
            )
        )
    return sheets, errors
