"""Helpers of the import and export tests: real xlsx workbooks built and read with openpyxl, valid ID
numbers, uploads."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.transfer.layout import LABELS

HEADER = list(LABELS)
_serials = itertools.count(100)


def id_number(birth: date | None = None, *, male: bool = True, region: str = "511802") -> str:
    """A valid number never returned before in this run (born on `birth`, or on one of 12,000 days from
    1940 on)."""
    n = next(_serials)
    serial = (2 * (n if birth else n // 12_000) + int(male)) % 1000  # the 17th digit: odd for men
    birth = birth or date(1940, 1, 1) + timedelta(days=n % 12_000)
    first17 = region + birth.strftime("%Y%m%d") + f"{serial:03d}"
    return first17 + id_check_digit(first17)


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def build_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """{sheet name: [header, row, …]} → xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def members_xlsx(rows: list[list]) -> bytes:
    return build_xlsx({"党员": [HEADER, *rows]})


def read_xlsx(content: bytes) -> dict[str, list[list]]:
    """Every sheet as rows of cell values (each row padded to the width of the sheet's first row)."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        width = len(rows[0]) if rows else 0
        sheets[ws.title] = [row + [None] * (width - len(row)) for row in rows]
    wb.close()
    return sheets


def upload(content: bytes, name: str = "members.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def row(
    name: str,
    number: str,
    branch: str,
    *,
    joined="2005-07-01",
    full="2006-07-01",
    home=None,
    gender=None,
    birth=None,
    phone="13812345678",
    education="本科",
    in_service="否",
    status=None,
    tags=None,
    occupation="教师",
    work_unit="雅安中学",
    workplace=None,
    ethnicity="汉族",
) -> list:
    """One data row in the template's column order."""
    return [
        name,
        gender,
        ethnicity,
        birth,
        number,
        phone,
        education,
        occupation,
        work_unit,
        workplace,
        in_service,
        home,
        branch,
        joined,
        full,
        status,
        tags,
    ]
