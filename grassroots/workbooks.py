"""The one workbook class every xlsx the platform writes is made with (`SafeWorkbook`): text that a
spreadsheet would take for a formula stays text. Shared by every part (exports, templates, the workbook of
rejected rows, the audit export), so it sits below them all (docs/architecture.md, "Layers");
grassroots/imports/xlsx.py builds the import helpers on it."""

from __future__ import annotations

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# A cell whose text starts with one of these is a formula (or, in the spreadsheet programs that also accept
# + - @, or once a user edits the cell, becomes one): "=HYPERLINK(...)" in a member's occupation would send
# the neighbouring cells to another site. Full-width forms are included for input methods that convert them.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def _as_text(cell: Cell) -> Cell:
    """Keep a cell's text as text: stored as a string (not a formula) and marked "quote prefix", so that
    Excel and LibreOffice show it as typed and keep it text when the cell is edited. The value itself is
    unchanged, so the file imports back to the same text."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def text_safe(ws, value):
    """A value to append to `ws`: formula-like text becomes a cell holding it as text."""
    if isinstance(value, Cell):
        if formula_like(value.value) or value.data_type == "f":
            _as_text(value)
        return value
    if formula_like(value):
        return _as_text(WriteOnlyCell(ws, value=value))
    return value


class _SafeWriteOnlySheet(WriteOnlyWorksheet):
    def append(self, row):
        super().append([text_safe(self, value) for value in row])


class SafeWorkbook(_OpenpyxlWorkbook):
    """openpyxl's Workbook for every file the platform writes (exports, templates, rejected rows): no cell
    is ever a formula. A write-only sheet turns formula-like text into text as rows are appended; a normal
    sheet is swept when the workbook is saved. tests/imports/test_formulas.py checks that nothing else in
    grassroots/ makes an openpyxl Workbook."""

    def create_sheet(self, title=None, index=None):
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _SafeWriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename):
        for ws in self.worksheets:
            if isinstance(ws, WriteOnlyWorksheet):
                continue
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (cell.data_type == "s" and formula_like(cell.value)):
                        _as_text(cell)
        super().save(filename)
