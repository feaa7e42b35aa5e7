"""The rows an import refused, kept as JSON on the import and offered back as a workbook with a reason
column, so that the user can fix them and upload again."""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook

from grassroots.areas.transfer.layout import REASON_LABEL, SHEETS, style_header
from grassroots.areas.transfer.reading import RowError, Sheet


def rejected_rows(sheets: dict[str, Sheet], errors: list[RowError]) -> dict:
    """{sheet: {"header": [...], "rows": [[row number, *cells, reason], …]}} for every row with an error."""
    by_row: dict[tuple[str, int], list[RowError]] = defaultdict(list)
    for error in errors:
        by_row[(error.sheet, error.row)].append(error)
    result = {}
    for name, sheet in sheets.items():
        rows = []
        for row in sheet.rows:
            reasons = by_row.get((name, row.number))
            if reasons:
                reason = "；".join(f"{e.column}：{e.message}" if e.column else e.message for e in reasons)
                rows.append([row.number, *row.raw[: len(sheet.header)], reason])
        if rows:
            result[name] = {"header": sheet.header, "rows": rows}
    return result


def rejected_workbook(rejected: dict) -> bytes:
    """The refused rows under their original headers, with the original row number first and the reason
    last. Delete those two columns (or keep them: the importer ignores unknown columns) and upload again."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, data in rejected.items():
        ws = wb.create_sheet(name)
        header = ["原行号", *data["header"], REASON_LABEL]
        ws.append(header)
        columns = SHEETS.get(name, ())
        style_header(ws, ())
        for column in columns:
            if column.label in header:
                ws.column_dimensions[
                    ws.cell(row=1, column=header.index(column.label) + 1).column_letter
                ].width = column.width
        ws.column_dimensions[ws.cell(row=1, column=len(header)).column_letter].width = 80
        for row in data["rows"]:
            cells = list(row)
            # pad short rows so that the reason lands in its own column
            cells = [cells[0], *cells[1:-1], *[None] * (len(header) - len(cells)), cells[-1]]
            ws.append(cells)
    if not wb.sheetnames:
        wb.create_sheet("空")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
