"""The one reader of uploaded xlsx files, for every import (members, areas, votes' voters, and the
rejected-rows workbook built again from an upload): the file is checked before it is read, then read with
python-calamine (Rust; docs/decisions.md: about ten times faster than openpyxl's reader, which took half of a
100,000-row import), and every cell becomes text the same way. openpyxl still writes every workbook.

Before reading (`check_archive`), without unpacking anything into memory:
- the zip's entries, by their declared sizes: at most `IMPORTS_MAX_UNPACKED_BYTES` (300 MB) unpacked in all,
  and no entry over 1 MB that unpacks to more than `IMPORTS_MAX_COMPRESSION_RATIO` (100) times its packed
  size — a "zip bomb" of a few KB that unpacks to gigabytes. The declared sizes bind: Python's zipfile
  never unpacks more than an entry declares (a lying entry fails its CRC check and is refused);
- every XML part, streamed through in pieces of about 1 MB: UTF-8 only (no NUL bytes at its start), no
  DOCTYPE (no entity expansion), and no run of text without a "<" longer than `MAX_RUN_BYTES`: a cell of
  more than Excel's own limit of 32,767 characters, which the reader would hold whole in memory, is refused.
  The part is checked in aligned blocks of `BLOCK` bytes (a block without any "<" is refused): a run of
  text of `MAX_RUN_BYTES` (192 KB) is always caught, a legitimate cell (at most 32,767 characters of at
  most 3 bytes) never is, and no Python code runs per cell — the check costs little more than unpacking.

A sheet's rows (`Sheet.iter_rows`) are tuples of values as openpyxl gave them: None for a blank cell (an
error cell such as #N/A reads as blank), whole numbers as int, booleans, dates (a date-only format gives a
date, with a time a datetime), times, and text; row N of the sheet is the N-th tuple and column A the first
value, also when the sheet's first rows or columns are empty. calamine unpacks a sheet whole when it is
opened (about 100 bytes a cell; the archive check bounds the size).

Cells (`cell_text`): None for blank; whole floats as integers ("511802.0" never appears); booleans as 是/否
(the words the templates use); dates as ISO text; everything else as stripped text.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024  # small entries (styles, themes) may compress very well
EXCEL_MAX_CELL_CHARS = 32_767
BLOCK = 3 * EXCEL_MAX_CELL_CHARS + 1  # bytes: a block of an XML part without any "<" is refused
MAX_RUN_BYTES = 2 * BLOCK  # so any run of text this long is refused (it holds a whole aligned block)
CHUNK = 10 * BLOCK  # read in whole blocks, so that blocks line up across reads
XML_PARTS = (".xml", ".rels", ".vml")
UNREADABLE_ERRORS = (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError)

_NOTE = re.compile(r"[（(].*$")


class UnreadableWorkbook(Exception):
    """The upload is not a workbook we read; `message` says why, in Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_a_workbook() -> UnreadableWorkbook:
    return UnreadableWorkbook(_("文件不是有效的 xlsx 工作簿，请使用导入模板"))


def max_unpacked_bytes() -> int:
    return getattr(settings, "IMPORTS_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES)


def max_compression_ratio() -> int:
    return getattr(settings, "IMPORTS_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO)


# --- the file -------------------------------------------------------------------------------------------
def check_archive(file) -> None:
    """Refuse (UnreadableWorkbook) a file that is not a zip, would unpack to too much, is packed
    suspiciously well, or holds a cell longer than Excel allows. Reads the file as a stream."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _check_sizes(entries)
            for entry in entries:
                if entry.filename.lower().endswith(XML_PARTS):
                    with archive.open(entry) as stream:
                        _check_xml(stream)
    except UnreadableWorkbook:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise not_a_workbook() from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def _check_sizes(entries: list[zipfile.ZipInfo]) -> None:
    limit, ratio = max_unpacked_bytes(), max_compression_ratio()
    total = 0
    for entry in entries:
        if entry.file_size > RATIO_GRACE_BYTES and entry.file_size > ratio * max(entry.compress_size, 1):
            raise UnreadableWorkbook(
                _("文件压缩比异常（%(name)s 解压后超过原大小的 %(ratio)s 倍），疑为恶意构造的文件，未读取")
                % {"name": entry.filename, "ratio": ratio}
            )
        total += entry.file_size
        if total > limit:
            raise UnreadableWorkbook(
                _("文件解压后超过 %(mb)s MB，无法读取；请删去无关的工作表、图片和格式，或分成几个文件导入")
                % {"mb": max(1, limit // (1024 * 1024))}
            )


def _check_xml(stream) -> None:
    chunk = stream.read(CHUNK)
    start = chunk[:4]
    if b"\x00" in start or start.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 or UTF-32, which Excel and openpyxl never write: a "<" byte could hide inside a character
        raise not_a_workbook()
    tail = b""
    while chunk:
        if b"<!DOCTYPE" in tail + chunk[:16] or b"<!DOCTYPE" in chunk:
            raise not_a_workbook()
        for offset in range(0, len(chunk) - BLOCK + 1, BLOCK):
            if chunk.find(b"<", offset, offset + BLOCK) == -1:
                raise UnreadableWorkbook(
                    _("工作簿中有单元格的内容过长（Excel 单元格最多 %(n)s 个字），未读取；请检查文件")
                    % {"n": EXCEL_MAX_CELL_CHARS}
                )
        tail = chunk[-16:]
        chunk = stream.read(CHUNK)


def open_workbook(file) -> Workbook:
    """A read-only workbook of values (the values formulas last computed, not the formulas), once
    `check_archive` accepted the file; raises UnreadableWorkbook with the reason."""
    check_archive(file)
    try:
        return Workbook(CalamineWorkbook.from_object(file))
    except UNREADABLE_ERRORS as exc:
        raise not_a_workbook() from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


class Workbook:
    """The part of openpyxl's read-only workbook the importers use: `sheetnames`, a sheet by name,
    `worksheets`, `close()`."""

    def __init__(self, book: CalamineWorkbook) -> None:
        self._book = book
        self.sheetnames: list[str] = list(book.sheet_names)

    def __getitem__(self, name: str) -> Sheet:
        if name not in self.sheetnames:
            raise KeyError(name)
        return Sheet(self._book, name)

    @property
    def worksheets(self) -> list[Sheet]:
        return [Sheet(self._book, name) for name in self.sheetnames]

    def close(self) -> None:
        self._book.close()


class Sheet:
    """One sheet, unpacked when first used: `max_row` and `iter_rows(values_only=True)` as openpyxl's."""

    def __init__(self, book: CalamineWorkbook, name: str) -> None:
        self._book, self.title, self._sheet = book, name, None

    def _load(self):
        if self._sheet is None:
            try:
                self._sheet = self._book.get_sheet_by_name(self.title)
            except CalamineError as exc:
                raise not_a_workbook() from exc
        return self._sheet

    @property
    def max_row(self) -> int:
        end = self._load().end
        return end[0] + 1 if end else 0

    def iter_rows(self, values_only: bool = True):
        """Each row of the sheet from the first, as a tuple of values (module docstring)."""
        assert values_only, "only values are read"
        sheet = self._load()
        # calamine's rows start at the sheet's first row, but its columns at the first column holding a value
        pad = (None,) * (sheet.start[1] if sheet.start else 0)
        for values in sheet.iter_rows():
            yield pad + tuple(
                None
                if value == ""
                else int(value)
                if value.__class__ is float and value.is_integer()
                else value
                for value in values
            )


# --- cells ----------------------------------------------------------------------------------------------
def cell_text(value) -> str | None:
    """Text of a cell: numbers typed into code columns come back as int or float; blank is None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def header_key(value) -> str:
    """A header cell as a column label: "在职党员（是/否）" and "在职党员" name the same column."""
    text = cell_text(value) or ""
    return _NOTE.sub("", text).strip()
