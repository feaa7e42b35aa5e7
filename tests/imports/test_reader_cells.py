"""The reader behind every import (python-calamine since issue 19) gives what openpyxl gave: each row at its
number and each column at its place even when the first rows and columns are empty, None for blank cells,
whole numbers as int, dates, times and booleans; and a blank row after the last value still gets its reason
in the rejected-rows workbook."""

from __future__ import annotations

import ast
import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook

from grassroots.imports.reading import UnreadableWorkbook, cell_text, open_workbook
from grassroots.imports.xlsx import RowError, write_rejected_workbook
from tests.imports.helpers import build_xlsx, read_xlsx

ROOT = Path(__file__).resolve().parents[2]


def rows_of(content: bytes, sheet: str | None = None) -> list[tuple]:
    wb = open_workbook(io.BytesIO(content))
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return list(ws.iter_rows(values_only=True))
    finally:
        wb.close()


def test_rows_and_columns_keep_their_places_when_the_first_ones_are_empty():
    wb = Workbook()
    ws = wb.active
    ws["C3"], ws["D5"] = "编号", 7
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = rows_of(buffer.getvalue())
    assert len(rows) == 5 and rows[0] == rows[1] == rows[3] == (None, None, None, None)
    assert rows[2] == (None, None, "编号", None) and rows[4] == (None, None, None, 7)


def test_cells_read_as_openpyxl_read_them():
    wb = Workbook()
    ws = wb.active
    ws.title = "党员"
    values = [511802001, 3.5, True, False, date(2020, 1, 2), datetime(2020, 1, 2, 8, 30), time(8, 30)]
    ws.append(["  桥楼社区 ", None, "0012", *values, "   "])
    ws["M1"] = 45000
    ws["M1"].number_format = "yyyy年m月d日"
    buffer = io.BytesIO()
    wb.save(buffer)
    (row,) = rows_of(buffer.getvalue(), "党员")
    assert row[:3] == ("  桥楼社区 ", None, "0012")
    assert row[3] == 511802001 and type(row[3]) is int and row[4] == 3.5
    assert row[5] is True and row[6] is False
    assert (
        cell_text(row[7]) == "2020-01-02" and row[8] == datetime(2020, 1, 2, 8, 30) and row[9] == time(8, 30)
    )
    assert cell_text(row[10]) is None and row[11] is None and cell_text(row[12]) == "2023-03-15"
    assert [cell_text(v) for v in row[:4]] == ["桥楼社区", None, "0012", "511802001"]


def test_an_error_cell_reads_as_blank():
    content = build_xlsx({"s": [["#N/A", 1]]})
    unpacked = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for entry in unpacked.infolist():
            data = unpacked.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="A1" t="[a-zA-Z]+">.*?</c>', b'<c r="A1" t="e"><v>#N/A</v></c>', data)
            packed.writestr(entry, data)
    assert rows_of(out.getvalue()) == [(None, 1)]


def test_a_sheet_that_does_not_parse_is_refused_with_the_reason():
    content = build_xlsx({"s": [["a"]]})
    unpacked = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for entry in unpacked.infolist():
            data = unpacked.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><row r='1'><c r='A1' t='n'><v>x</v></c>")
            packed.writestr(entry, data)
    wb = open_workbook(io.BytesIO(out.getvalue()))
    try:
        try:
            list(wb["s"].iter_rows(values_only=True))
        except UnreadableWorkbook as exc:
            assert exc.message.startswith("文件不是有效的")
    finally:
        wb.close()


def test_a_reason_for_a_blank_row_after_the_last_value_is_kept():
    content = build_xlsx({"标签": [["名称"], ["甲"], [None], ["丙"], [None]]})
    out = io.BytesIO()
    errors = [RowError("标签", 3, "名称", "不能为空"), RowError("标签", 5, "名称", "不能为空")]
    assert write_rejected_workbook(io.BytesIO(content), errors, out) == 2
    assert read_xlsx(out.getvalue())["标签"][1:] == [[3, None, "名称：不能为空"], [5, None, "名称：不能为空"]]


def test_only_the_reader_imports_the_reading_library():
    offenders = []
    for path in (ROOT / "grassroots").rglob("*.py"):
        if path == ROOT / "grassroots" / "imports" / "reading.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(m.startswith("python_calamine") for m in modules):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_durations_read_as_durations():
    wb = Workbook()
    wb.active["A1"] = timedelta(hours=3)
    buffer = io.BytesIO()
    wb.save(buffer)
    assert rows_of(buffer.getvalue()) == [(timedelta(hours=3),)]
