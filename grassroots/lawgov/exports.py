"""The 导出 Excel of the mediator's 调解案件 (grassroots.imports.lists): the caseload's cases, one function of
the request for the page and the export. The parties are not on the list, nor in the file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.lawgov import selectors_disputes as selectors


def caseload_rows(request):
    return selectors.caseload(request.user)


@register_list_export
class CaseloadExport(ListExport):
    kind = "lawgov-caseload"
    label = _("调解案件")
    permission = selectors.MEDIATE
    back_url_name = "lawgov:caseload"
    columns = (
        Column(_("案件编号"), "number", 14),
        Column(_("纠纷事由"), "title", 36),
        Column(_("状态"), "state_label", 10),
        Column(_("调解层级"), "get_level_display", 12),
        Column(_("类型"), "get_kind_display", 12),
        Column(_("纠纷类别"), "get_category_display", 12),
        Column(_("可能激化"), "at_risk", 8),
        Column(_("调解期限"), "due_on", 12),
        Column(_("发生地"), "area.name", 16),
        Column(_("承办区域"), "handler.name", 16),
    )

    def rows(self, request):
        return caseload_rows(request)
