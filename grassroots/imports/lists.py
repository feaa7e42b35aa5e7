"""Every list page's "导出 Excel": one declaration per list, one mechanism for all (docs/exports.md).

A list declares what its page shows — the same rows (through the same function the page's view calls, on
the records the one scoping function lets the user see, filtered by the same FilterSet/query string) and the
columns it shows, with masked values where the page masks them:

    @register_list_export
    class EntityExport(ListExport):
        kind = "coverage-entities"            # ExportJob.kind, in the URL of the button
        label = _("新兴领域单位")
        permission = VIEW                     # to export at all; the rows are scoped by rows()
        back_url_name = "coverage:entity_list"
        columns = (
            Column(_("名称"), "name"),
            Column(_("所在区域"), "area.name"),
            Column(_("类型"), "get_kind_display"),
            Column(_("联系电话"), "phone_masked"),   # as on screen
        )

        def rows(self, request):
            return entity_rows(request)           # the view's own queryset (a QuerySet, or a list of
                                                  # dicts for a dashboard: then also override count())

The button (`{% export_button "coverage-entities" %}`, templatetags/exports.py) posts the page's query string
to `imports:list_export`; up to `EXPORTS_SYNC_MAX_ROWS` rows the file comes back at once, above it an
`ExportJob` is written by the worker (its page shows the progress, then the download, for its requester
only). The runner (runner.start_export) audits every export; SafeWorkbook neutralises formulas.

`rows(request)` gets a request rebuilt from the export's params (GET = the page's query string, user = the
requester, the working area picked in the header restored), so the page's view and the export share one
function of the request. The rows are counted and read from the read replica when one is configured
(grassroots/replica.py): the scope is worked out on the primary when `rows()` builds the queryset.
Rows are read with `iterator(chunk_size=CHUNK)` (select_related and prefetch_related of the queryset
hold per chunk): the number of queries does not grow with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from grassroots import replica
from grassroots.imports.registry import Exporter, NoProgress, Progress, register_exporter
from grassroots.imports.xlsx import HELP_SHEET, SafeWorkbook, header_cells

CHUNK = 2_000
WORKING_AREA = "_working_area"  # the params key keeping the working area picked in the header
OMITTED = frozenset({"page", "format", WORKING_AREA, "csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Column:
    """One column of the file: its header and how to get a row's value — a dotted path of attributes (or
    dict keys) from the row ("area.name", "get_status_display", "phone_masked"; a method is called), or a
    callable(row). None is written as an empty cell; True/False as 是/否; aware datetimes in local time."""

    label: Any
    value: str | Callable[[Any], Any]
    width: int = 16

    def of(self, row) -> Any:
        if callable(self.value):
            return cell_value(self.value(row))
        current = row
        for part in self.value.split("."):
            if current is None:
                return ""
            current = current.get(part) if isinstance(current, dict) else getattr(current, part)
            if callable(current) and not isinstance(current, models.Manager):
                current = current()
        return cell_value(current)


def cell_value(value) -> Any:
    """A value as an xlsx cell holds it: text, a number, a date; never an object or a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (int, float, datetime.date)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, models.Manager):
        return "、".join(str(item) for item in value.all())
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(cell_value(item)) for item in value)
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def params_of(query: QueryDict) -> dict[str, list[str]]:
    """The page's filters as an export keeps them (ExportJob.params): every non-empty parameter but the page
    number, as lists of strings."""
    return {key: values for key, values in query.lists() if key not in OMITTED and any(values)}


def list_request(user, params: dict) -> HttpRequest:
    """A GET request for `user` with `params` as its query string — what the page's view saw — so that the
    export calls the page's own function of the request. The working area picked in the header (kept in
    params) narrows the user's scope again; a path that is no longer theirs leaves them nothing."""
    request = HttpRequest()
    request.method = "GET"
    query = QueryDict(mutable=True)
    for key, values in params.items():
        if key != WORKING_AREA:
            query.setlist(key, values if isinstance(values, list) else [values])
    query._mutable = False
    request.GET = query
    request.user = user
    working = params.get(WORKING_AREA)
    if working:
        user.active_area_path = working[0] if isinstance(working, list) else working
    request.htmx = False
    request.session = SessionBase()  # no searched numbers kept: they are in params (ListExport.params_from)
    return request


class ListExport(Exporter):
    """An Exporter made of a list page's declaration: `columns` and `rows(request)`. The rows are the
    page's; the file has one sheet of them (headers first) and a sheet 说明 (what, when, filters)."""

    columns: ClassVar[Sequence[Column]] = ()
    sheet_title: ClassVar[str] = ""
    # shown in the help sheet and the audit entry; the label by default
    # query parameters that may hold a personal number (a searched phone): kept on the job (the file must
    # hold what the page showed) but never written into the audit entry or the file's notes
    private_params: ClassVar[Sequence[str]] = ()

    def __init__(self, *, user, params: dict, unmasked: bool) -> None:
        super().__init__(user=user, params=params, unmasked=False)
        self.request = list_request(user, params)

    @classmethod
    def params_from(cls, request) -> dict[str, list[str]]:
        """The params of an export started from the page's `request` (the button's POST, with the page's
        query string): its filters as the page reads them. A page that keeps a searched number in the
        session (portal/search.py) overrides this to restore it."""
        return params_of(request.GET)

    # --- the declaration ----------------------------------------------------------------------------------
    def rows(self, request) -> QuerySet | Iterable:
        raise NotImplementedError

    # --- Exporter ------------------------------------------------------------------------------------------
    def _rows(self):
        if not hasattr(self, "_cached_rows"):
            self._cached_rows = self.rows(self.request)
        return self._cached_rows

    def count(self) -> int:
        rows = self._rows()
        if not isinstance(rows, QuerySet):
            return len(rows)
        with replica.reads():
            return rows.count()

    def filters_text(self) -> str:
        shown = {
            key: ("***" if key in self.private_params else values)
            for key, values in self.params.items()
            if key != WORKING_AREA
        }
        return urlencode(shown, doseq=True)

    def filename(self) -> str:
        return f"{self.label}-{timezone.localdate():%Y%m%d}.xlsx"

    def audit_label(self) -> str:
        what = f"{self.label}（{gettext('列表导出')}）"
        filters = self.filters_text()
        if filters:
            what += f"（{filters}）"
        return what[:200]

    def write(self, handle, progress: Progress) -> int:
        wb = SafeWorkbook(write_only=True)
        ws = wb.create_sheet(str(self.sheet_title or self.label)[:31])
        from openpyxl.utils import get_column_letter

        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.append(header_cells(ws, [str(column.label) for column in self.columns]))
        rows = self._rows()
        expected = 0 if isinstance(progress, NoProgress) else self.count()
        if isinstance(rows, QuerySet):
            rows = rows.iterator(chunk_size=CHUNK)
        total = 0
        with replica.reads():  # the rows (and what their columns look up) from the read replica
            for row in rows:
                ws.append([column.of(row) for column in self.columns])
                total += 1
                if total % CHUNK == 0:
                    progress(total, expected)
        progress(total, max(total, expected))
        help_ws = wb.create_sheet(HELP_SHEET)
        for line in self.notes(total):
            help_ws.append([line])
        wb.save(handle)
        return total

    def notes(self, total: int) -> list[str]:
        return [
            gettext("%(what)s · 导出于 %(when)s · 共 %(n)s 行")
            % {"what": self.label, "when": f"{timezone.localtime():%Y-%m-%d %H:%M}", "n": total},
            gettext("筛选条件：%(filters)s") % {"filters": self.filters_text() or gettext("无")},
            gettext("与页面显示相同：仅含您有权查看的记录，身份证号、手机号等已脱敏。"),
        ]


class PerChunk:
    """The rows of a queryset completed per chunk by `prepare(rows) -> rows` (what a page does to its page of
    rows: addresses from their ancestors in one query, say), for a ListExport's rows(): a fixed number of
    queries a chunk, whatever the rows. Counted as the queryset."""

    def __init__(self, queryset: QuerySet, prepare: Callable[[list], Iterable]) -> None:
        self.queryset, self.prepare = queryset, prepare

    def __len__(self) -> int:
        return self.queryset.count()

    def __iter__(self):
        chunk = []
        for row in self.queryset.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from self.prepare(chunk)
                chunk = []
        if chunk:
            yield from self.prepare(chunk)


_LIST_EXPORTS: dict[str, type[ListExport]] = {}


def register_list_export(cls: type[ListExport]) -> type[ListExport]:
    """Register a list's export (an Exporter of its kind) and remember it as a list export: the button and
    the API offer only these."""
    register_exporter(cls)
    _LIST_EXPORTS[cls.kind] = cls
    return cls


def list_export_for(kind: str) -> type[ListExport] | None:
    return _LIST_EXPORTS.get(kind)


def list_exports() -> dict[str, type[ListExport]]:
    return dict(_LIST_EXPORTS)


def field_label(model, name: str):
    """A model field's verbose name, for a column that shows it as is."""
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name
