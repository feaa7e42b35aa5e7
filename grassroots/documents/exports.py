"""The 导出 Excel of 党建工作指导标准 and 工作手册 (grassroots.imports.lists): the documents each list shows
(documents.selectors.documents_for: Document.visible_to, the one scoping function behind it), through one
function of the request for the page and the export — what the table shows, not the documents' text."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.documents import selectors
from grassroots.documents.models import Kind
from grassroots.imports.lists import Column, ListExport, register_list_export


def document_rows(request, kind: str):
    return selectors.documents_for(request.user, kind)


def _levels(document) -> str:
    return "、".join(document.level_labels) or gettext("下级各层级")


def _current(document):
    return document.current[0] if document.current else None


def _version(document) -> str:
    current = _current(document)
    return gettext("第 %(n)s 版") % {"n": current.number} if current else gettext("草稿")


def _adopted(document):
    current = _current(document)
    return current.adopted_at if current else None


class _DocumentExport(ListExport):
    permission = "documents.view"
    document_kind = ""
    columns = (
        Column(_("标题"), "title", 36),
        Column(_("制定区域"), "area.name", 16),
        Column(
            _("适用层级"), lambda d: "、".join(str(x) for x in d.level_labels) or gettext("下级各层级"), 20
        ),
        Column(_("现行版本"), _version, 10),
        Column(_("发布时间"), _adopted, 18),
    )

    def rows(self, request):
        return document_rows(request, self.document_kind)


@register_list_export
class StandardExport(_DocumentExport):
    kind = "documents-standards"
    label = _("党建工作指导标准")
    back_url_name = "documents:standards"
    document_kind = Kind.STANDARD


@register_list_export
class HandbookExport(_DocumentExport):
    kind = "documents-handbooks"
    label = _("工作手册")
    back_url_name = "documents:handbooks"
    document_kind = Kind.HANDBOOK
