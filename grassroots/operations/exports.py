"""The 导出 Excel of the audit log (审计日志, grassroots.imports.lists), declared here because the audit layer
is below the imports layer (tests/test_layers.py): the rows the auditors' page lists with its filters — the
scoped feed of changes and events (audit.selectors.feed), read in chunks and turned into display items a
chunk at a time (two queries per chunk, as for a page). Large logs run in the background like every list.
The file holds the log as the page shows it, which records values as they were (not masked): the audit
entry of the export says so (unmasked)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.audit import selectors
from grassroots.audit.forms import AuditFilterForm
from grassroots.imports.lists import Column, ListExport, register_list_export

CHUNK = 1_000


class FeedRows:
    """The feed of a request as export rows: len() counts them (one query), iterating materialises them a
    chunk at a time."""

    def __init__(self, request) -> None:
        filters = AuditFilterForm(request.GET or None).filters()
        self.feed = selectors.feed(request.user, filters)

    def __len__(self) -> int:
        return self.feed.count()

    def __iter__(self):
        chunk = []
        for row in self.feed.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from selectors.materialize(chunk)
                chunk = []
        yield from selectors.materialize(chunk)


@register_list_export
class AuditLogExport(ListExport):
    kind = "audit-log"
    label = _("审计日志")
    permission = selectors.PERMISSION
    back_url_name = "audit:log"
    columns = (
        Column(_("时间"), "timestamp", 20),
        Column(_("类别"), "kind_label", 12),
        Column(_("操作人"), "actor", 14),
        Column(_("对象类型"), "object_type", 14),
        Column(_("对象"), "object_label", 24),
        Column(_("详情"), "details_text", 50),
        Column(_("IP 地址"), "ip", 16),
        Column(_("浏览器"), "user_agent", 30),
    )

    def __init__(self, *, user, params: dict, unmasked: bool) -> None:
        super().__init__(user=user, params=params, unmasked=unmasked)
        self.unmasked = True  # the log's values as recorded: its audit entry says so

    def rows(self, request):
        return FeedRows(request)

    def notes(self, total: int) -> list[str]:
        return [
            *super().notes(total)[:2],
            gettext("与页面显示相同：仅含您审计范围内的记录，数据变更按记录时的值显示。"),
        ]
