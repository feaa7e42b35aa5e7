"""Helpers for the areas tests: real xlsx workbooks built with openpyxl, and the tree as data."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.transfer.layout import AREA_COLUMNS, ORG_COLUMNS

AREA_HEADER = [c.label for c in AREA_COLUMNS]  # 编号 名称 层级 区划代码 上级编号 上级区划代码
ORG_HEADER = [
    c.label for c in ORG_COLUMNS
]  # 编号 名称 类型 组织编码 所在区域编号 所在区域区划代码 上级组织编号 上级组织编码 书记用户名


def build_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry: {sheet name: [header, row, row, …]}."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "areas.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def read_xlsx(content: bytes) -> dict[str, list[list]]:
    """Every sheet as rows of cell values, each row padded to the width of the sheet's header."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        width = len(rows[0]) if rows else 0
        sheets[ws.title] = [row + [None] * (width - len(row)) for row in rows]
    return sheets


def tree_shape(root: Area | None = None) -> list[tuple]:
    """The tree as comparable data: (depth, name, level, code) in path order, plus numchild."""
    areas = Area.objects.order_by("path")
    if root is not None:
        areas = areas.filter(path__startswith=root.path)
    return [(a.depth - (root.depth if root else 0), a.name, a.level, a.code, a.numchild) for a in areas]


def orgs_shape() -> list[tuple]:
    return sorted(
        (o.name, o.kind, o.code, o.area.name, o.parent.name if o.parent else None)
        for o in PartyOrg.objects.select_related("area", "parent")
    )


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded import files go to a temporary MEDIA_ROOT, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def many_children(tree):
    """make(n): give 桥楼社区's grid n courtyards (each with one compound below)."""

    def make(n: int, parent=None):
        from tests.factories import Level, make_area

        parent = parent or tree.grid_a
        made = []
        for i in range(n):
            made.append(make_area(f"院落{i:03d}", Level.COURTYARD, parent))
        return made

    return make
