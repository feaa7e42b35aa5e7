"""Export a scoped subtree (live areas and Party organizations) in the import layout.

The workbook is written with openpyxl's write-only mode into a temporary file while the rows stream from
the database (`iterator()`), so a city of 100,000 areas needs neither 100,000 model objects nor a workbook
held in memory. Areas come in path order (a parent always before its children); each row's 编号 is the
area's id, and its parent is named by 上级编号 when the parent is in the file, else by the parent's code
(the top of the subtree), so that the file imports elsewhere unchanged.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from grassroots.areas import rules
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import lies_under, under_q
from grassroots.areas.transfer.layout import (
    AREA_COLUMNS,
    AREA_SHEET,
    HELP_LINES,
    HELP_SHEET,
    ORG_COLUMNS,
    ORG_SHEET,
)
from grassroots.imports.xlsx import SafeWorkbook

CHUNK = 2000


@dataclass
class ExportResult:
    file: object  # an open temporary file positioned at 0
    areas: int
    orgs: int

    @property
    def count(self) -> int:
        return self.areas + self.orgs


def _header(ws, columns) -> None:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.label)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    for index, column in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + index)].width = column.width


def _write_areas(ws, paths: list[str]) -> int:
    steplen = Area.steplen
    # The parents of the tops of the subtree, named by code (one query).
    top_parent_paths = [p[:-steplen] for p in paths if len(p) > steplen]
    parent_codes = dict(Area.objects.filter(path__in=top_parent_paths).values_list("path", "code"))
    stack: list[tuple[str, int]] = []  # the ancestors of the current row that are in the file
    count = 0
    rows = (
        Area.objects.filter(under_q(paths, "path"), retired=False)
        .order_by("path")
        .values_list("id", "path", "name", "level", "code")
        .iterator(chunk_size=CHUNK)
    )
    for pk, path, name, level, code in rows:
        while stack and not lies_under(path, stack[-1][0]):
            stack.pop()
        if stack:
            parent_key, parent_code = str(stack[-1][1]), None
        else:
            parent_key, parent_code = None, parent_codes.get(path[:-steplen])
        ws.append([str(pk), name, rules.LEVEL_FILE_NAME[level], code, parent_key, parent_code])
        stack.append((path, pk))
        count += 1
    return count


def _ordered_orgs(paths: list[str]) -> list[tuple]:
    """Live organizations in scope, each after its parent (a parent may be on the same area)."""
    rows = list(
        PartyOrg.objects.filter(under_q(paths), retired=False, area__retired=False)
        .order_by("area__path", "id")
        .values_list(
            "id", "name", "kind", "code", "area_id", "parent_id", "parent__code", "secretary__username"
        )
    )
    by_id = {row[0]: row for row in rows}
    emitted: set[int] = set()
    ordered: list[tuple] = []
    for row in rows:
        chain = []
        node = row
        while node is not None and node[0] not in emitted and node not in chain:
            chain.append(node)
            node = by_id.get(node[5])
        for item in reversed(chain):
            emitted.add(item[0])
            ordered.append(item)
    return ordered


def _write_orgs(ws, paths: list[str]) -> int:
    ordered = _ordered_orgs(paths)
    in_file = {row[0] for row in ordered}
    for pk, name, kind, code, area_id, parent_id, parent_code, secretary in ordered:
        parent_key = str(parent_id) if parent_id in in_file else None
        ws.append(
            [
                str(pk),
                name,
                rules.KIND_FILE_NAME[kind],
                code,
                str(area_id),
                None,
                parent_key,
                None if parent_key else parent_code,
                secretary,
            ]
        )
    return len(ordered)


def export_workbook(*, paths: list[str]) -> ExportResult:
    """Write the subtrees under `paths` (already cut to the user's scope by the caller) to a temporary
    xlsx file and return it open at its start, with the row counts."""
    wb = SafeWorkbook(write_only=True)
    areas_ws = wb.create_sheet(AREA_SHEET)
    _header(areas_ws, AREA_COLUMNS)
    areas = _write_areas(areas_ws, paths) if paths else 0
    orgs_ws = wb.create_sheet(ORG_SHEET)
    _header(orgs_ws, ORG_COLUMNS)
    orgs = _write_orgs(orgs_ws, paths) if paths else 0
    help_ws = wb.create_sheet(HELP_SHEET)
    for line in HELP_LINES:
        help_ws.append([line])
    # Closed by the caller (FileResponse closes it when the download ends); deleted on close.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    wb.save(handle)
    handle.seek(0)
    return ExportResult(handle, areas, orgs)
