"""Workbook helpers shared by every importer and exporter: the row error, the workbook of rejected rows
(built again from the uploaded file, so that nothing but the errors is kept in memory while validating), and
the download response. Every workbook is written with `SafeWorkbook` (grassroots/workbooks.py).

Sheet names and column headers are a file format, not interface text: they stay in Chinese whatever the
interface language, so that a file exported in one language imports in the other.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

# Reading lives in grassroots.imports.reading (the one reader of uploads); re-exported for older callers.
from grassroots.imports.reading import (  # noqa: F401
    UnreadableWorkbook,
    cell_text,
    header_key,
    open_workbook,
)
from grassroots.workbooks import SafeWorkbook, formula_like, text_safe  # noqa: F401 (the writer, one level down)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REASON_LABEL = "错误原因"
ROW_LABEL = "原行号"
HELP_SHEET = "说明"

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE7E7")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the row number as Excel shows it (the header is row 1); 0 for the file as a whole
    column: str  # the column header, or "" for the row as a whole
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": str(self.message)}

    @classmethod
    def from_dict(cls, data: dict) -> RowError:
        return cls(data.get("sheet", ""), data.get("row", 0), data.get("column", ""), data.get("message", ""))


def reasons_by_row(errors: list[RowError]) -> dict[str, dict[int, str]]:
    """{sheet: {row: "列：原因；列：原因"}} for the errors that name a row."""
    grouped: dict[str, dict[int, list[RowError]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.row:
            grouped[error.sheet][error.row].append(error)
    return {
        sheet: {
            row: "；".join(f"{e.column}：{e.message}" if e.column else str(e.message) for e in row_errors)
            for row, row_errors in rows.items()
        }
        for sheet, rows in grouped.items()
    }


def _plain(value):
    if isinstance(value, (datetime, date)) or value is None:
        return value
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def write_rejected_workbook(file, errors: list[RowError], handle) -> int:
    """Write to `handle` a workbook of the rows of `file` that have errors: per sheet, the original
    header with 原行号 first and 错误原因 last, then each bad row as it was uploaded and its reasons. Fix
    the rows and upload the file again: importers ignore the two extra columns. Returns the number of
    rows written."""
    reasons = reasons_by_row(errors)
    try:
        source = open_workbook(file)
    except UnreadableWorkbook:
        source = None
    out = SafeWorkbook(write_only=True)
    written = 0
    try:
        for name in source.sheetnames if source is not None else []:
            wanted = reasons.get(name)
            if not wanted:
                continue
            ws = out.create_sheet(name)
            rows = source[name].iter_rows(values_only=True)
            header = [cell_text(v) or "" for v in (next(rows, None) or ())]
            while header and not header[-1]:
                header.pop()
            width = len(header)
            cells = []
            for label in [ROW_LABEL, *header, REASON_LABEL]:
                cell = WriteOnlyCell(ws, value=label)
                cell.font = _HEADER_FONT
                cells.append(cell)
            ws.append(cells)
            ws.column_dimensions["A"].width = 8
            last = width + 2
            ws.column_dimensions[_letter(last)].width = 60
            read = 1  # the sheet's last row read
            for read, values in enumerate(rows, start=2):
                reason = wanted.get(read)
                if reason is None:
                    continue
                values = list(values or ())[:width]
                values += [None] * (width - len(values))
                ws.append([read, *(_plain(v) for v in values), reason])
                written += 1
            for number in sorted(n for n in wanted if n > read):  # blank rows after the sheet's last value
                ws.append([number, *([None] * width), wanted[number]])
                written += 1
    finally:
        if source is not None:
            source.close()
    if not out.sheetnames:
        out.create_sheet("空")
    out.save(handle)
    return written


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def style_header(ws, labels: list[str], required: set[str], widths: dict[str, int]) -> None:
    """Bold header, required columns shaded, widths, frozen first row (a normal, not write-only, sheet)."""
    for index, label in enumerate(labels, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        if label in required:
            cell.fill = _REQUIRED_FILL
        ws.column_dimensions[cell.column_letter].width = widths.get(label, 14)
    ws.freeze_panes = "A2"


def header_cells(ws, labels: list[str]) -> list:
    """Bold header cells for a write-only sheet."""
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = _HEADER_FONT
        cells.append(cell)
    return cells


def disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = disposition(filename)
    return response


def file_response(handle, filename: str) -> FileResponse:
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def temporary_file():
    """A temporary binary file, deleted when closed (FileResponse closes it when the download ends)."""
    return tempfile.TemporaryFile(suffix=".xlsx")
