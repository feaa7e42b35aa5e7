"""The one reader of uploads: crafted files (a zip bomb of 1 MB with one cell of a gigabyte, a cell longer
than Excel allows, lying sizes, a DTD, too much unpacked) are refused with a clear Chinese message before
openpyxl reads them and without using memory; and every importer reads cells the same way."""

from __future__ import annotations

import ast
import io
import random
import string
import struct
import tracemalloc
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import pytest

from grassroots.areas.services import import_workbook
from grassroots.areas.transfer.reading import read_workbook
from grassroots.core.members.models import Member
from grassroots.core.members.services.imports import start_member_import
from grassroots.imports.reading import UnreadableWorkbook, cell_text, check_archive, open_workbook
from tests.factories import make_party_org
from tests.imports.helpers import build_xlsx, id_number, members_xlsx, row, upload

ROOT = Path(__file__).resolve().parents[2]
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
)
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def _raw_deflate(parts: list[bytes]) -> bytes:
    out = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(out.compress(p) + out.flush(zlib.Z_FULL_FLUSH) for p in parts) + out.flush()


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, crc, unpacked size) entries, written by hand so that an entry may be
    packed in pieces (and may lie about its size)."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in entries:
        offset = body.tell()
        encoded = name.encode()
        body.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        )
        body.write(encoded + data)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), directory.tell(), body.tell(), 0
    )
    return body.getvalue() + directory.getvalue() + end


def _entries_of(content: bytes) -> list[tuple[str, bytes, int, int]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            (info.filename, _raw_deflate([archive.read(info)]), info.CRC, info.file_size)
            for info in archive.infolist()
        ]


def with_sheet(content: bytes, sheet: tuple[bytes, int, int]) -> bytes:
    """`content` (an xlsx) with its first worksheet replaced by (raw deflate data, crc, size)."""
    entries = [e for e in _entries_of(content) if e[0] != "xl/worksheets/sheet1.xml"]
    return _zip([*entries, ("xl/worksheets/sheet1.xml", *sheet)])


def bomb_sheet(megabytes: int) -> tuple[bytes, int, int]:
    """A sheet whose one cell holds `megabytes` MB of "A", packed in about a thousandth of that. Each fully
    flushed megabyte packs to the same bytes once the packer is warm, so it is packed once and repeated."""
    block = b"A" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(SHEET_HEAD) + packer.flush(zlib.Z_FULL_FLUSH)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == again
    tail = packer.compress(SHEET_TAIL) + packer.flush()
    crc = zlib.crc32(SHEET_HEAD)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    data = head + first + again * (megabytes - 1) + tail
    return data, crc, len(SHEET_HEAD) + megabytes * len(block) + len(SHEET_TAIL)


def plain_sheet(text: bytes) -> tuple[bytes, int, int]:
    xml = SHEET_HEAD + text + SHEET_TAIL
    return _raw_deflate([xml]), zlib.crc32(xml), len(xml)


@pytest.fixture
def template() -> bytes:
    return members_xlsx([])


def refused(content: bytes) -> str:
    with pytest.raises(UnreadableWorkbook) as caught:
        open_workbook(io.BytesIO(content))
    return caught.value.message


def test_the_crafted_bomb_is_a_valid_zip_that_unpacks_to_its_size(template):
    small = with_sheet(template, bomb_sheet(3))
    with zipfile.ZipFile(io.BytesIO(small)) as archive:
        assert len(archive.read("xl/worksheets/sheet1.xml")) == 3 * (1 << 20) + len(SHEET_HEAD + SHEET_TAIL)


def test_a_1_mb_workbook_with_a_1_gb_cell_is_refused_without_using_memory(cast, tree, template, settings):
    settings.MEMBERS_IMPORT_SYNC_MAX_BYTES = 10 * 1024 * 1024  # imported while the test waits
    content = with_sheet(template, bomb_sheet(1024))
    assert len(content) < 1_500_000
    tracemalloc.start()
    try:
        message = refused(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "压缩比异常" in message and "xl/worksheets/sheet1.xml" in message
    assert peak < 5 * 1024 * 1024
    job = start_member_import(file=upload(content), actor=cast.street_a)
    assert job.status == "rejected"
    assert "压缩比异常" in job.errors[0]["message"] and job.errors[0]["row"] == 0


def test_a_cell_longer_than_excel_allows_is_refused_before_reading(cast, tree, template):
    noise = "".join(random.Random(1).choices(string.ascii_letters, k=300_000)).encode()  # packs poorly
    content = with_sheet(template, plain_sheet(noise))
    assert len(content) > 150_000  # no bomb: the size ratio is fine
    tracemalloc.start()
    try:
        message = refused(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "单元格的内容过长" in message and "32767" in message
    assert peak < 4 * 1024 * 1024
    outcome = import_workbook(file=io.BytesIO(content), actor=cast.street_a)
    assert [e.message for e in outcome.errors] == [message]


def test_a_cell_as_long_as_excel_allows_is_read(template):
    longest = ("党" * 32_767).encode()
    wb = open_workbook(io.BytesIO(with_sheet(template, plain_sheet(longest))))
    try:
        assert len(next(wb.worksheets[0].iter_rows(values_only=True))[0]) == 32_767
    finally:
        wb.close()


def test_an_entry_that_lies_about_its_size_is_refused(template):
    data, crc, _ = bomb_sheet(8)
    assert refused(with_sheet(template, (data, crc, 100_000))) == "文件不是有效的 xlsx 工作簿，请使用导入模板"


def test_a_dtd_is_refused(template):
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + SHEET_HEAD[38:] + b"&a;" + SHEET_TAIL
    assert refused(with_sheet(template, (_raw_deflate([xml]), zlib.crc32(xml), len(xml)))).startswith(
        "文件不是有效的"
    )


def test_utf16_parts_are_refused(template):
    xml = (SHEET_HEAD.replace(b"UTF-8", b"UTF-16") + b"x" + SHEET_TAIL).decode().encode("utf-16")
    assert refused(with_sheet(template, (_raw_deflate([xml]), zlib.crc32(xml), len(xml)))).startswith(
        "文件不是有效的"
    )


def test_the_unpacked_size_has_a_limit(settings, template):
    settings.IMPORTS_MAX_UNPACKED_BYTES = 5 * 1024
    assert refused(template).startswith("文件解压后超过 1 MB")
    settings.IMPORTS_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
    check_archive(io.BytesIO(template))


def test_not_a_zip_is_refused():
    assert refused(b"<html>not a workbook</html>") == "文件不是有效的 xlsx 工作簿，请使用导入模板"


# --- one reader of cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "是"),
        (False, "否"),
        (511802001.0, "511802001"),
        (3.5, "3.5"),
        (date(2020, 1, 2), "2020-01-02"),
        (datetime(2020, 1, 2), "2020-01-02"),
        ("  桥楼社区 ", "桥楼社区"),
        ("   ", None),
        (None, None),
    ],
)
def test_the_areas_importer_reads_a_cell_as_every_import_does(value, text):
    content = build_xlsx({"区域": [["编号", "名称", "层级"], ["a", value, "社区"]]})
    sheets, errors = read_workbook(io.BytesIO(content))
    assert errors == []
    assert sheets["区域"].rows[0].values["name"] == text == cell_text(value)


def test_the_members_importer_reads_a_boolean_as_the_areas_importer_does(cast, tree):
    branch = make_party_org("桥楼社区第一党支部", tree.community_a)
    content = members_xlsx([row("张三", id_number(), branch.name, in_service=True)])
    job = start_member_import(file=upload(content), actor=cast.street_a)
    assert job.status == "done", job.errors
    assert Member.objects.get().in_service is True


def test_only_the_reader_opens_uploaded_workbooks():
    offenders = []
    for path in (ROOT / "grassroots").rglob("*.py"):
        if path == ROOT / "grassroots" / "imports" / "reading.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                offenders += [str(path.relative_to(ROOT)) for a in node.names if a.name == "load_workbook"]
    assert offenders == []
