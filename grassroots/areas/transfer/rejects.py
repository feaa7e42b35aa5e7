"""The rows an import refused, as data for `import_workbook`'s report (`ImportOutcome.rejected`). The
workbook of rejected rows offered on the job page is the generic runner's (grassroots.imports.xlsx)."""

from __future__ import annotations

from collections import defaultdict

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
