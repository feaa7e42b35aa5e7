"""The 导出 Excel of 新兴领域单位 (grassroots.imports.lists): the list's rows for its filters, one function of
the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.areas.subtree import under_q
from grassroots.core.coverage import selectors
from grassroots.core.coverage.filters import EntityFilter
from grassroots.core.coverage.selectors import VIEW
from grassroots.imports.lists import Column, ListExport, register_list_export


def entity_rows(request):
    """(area, filterset, rows) of the entities list: the area asked about (else the working area), its
    filters, the rows in order."""
    area = area_from_request(request, VIEW, required=True)
    rows = selectors.with_flag(selectors.entities_for(request.user).filter(under_q(area.path)))
    filterset = EntityFilter(request.GET, queryset=rows, request=request)
    return area, filterset, filterset.qs.order_by("area__path", "name")


@register_list_export
class EntityExport(ListExport):
    kind = "coverage-entities"
    label = _("新兴领域单位")
    permission = VIEW
    back_url_name = "coverage:entity_list"
    columns = (
        Column(_("单位"), "name", 30),
        Column(_("类型"), "get_kind_display"),
        Column(_("所在区域"), "area.name"),
        Column(_("党员"), "member_count", 8),
        Column(_("正式党员"), "full_count", 8),
        Column(_("党员数为手工填报"), lambda e: not e.from_records, 10),
        Column(_("覆盖情况"), "get_status_display"),
        Column(_("所属党组织"), "party_org.name", 24),
        Column(_("应单独建立党支部"), lambda e: bool(e.flagged), 10),
    )

    def rows(self, request):
        return entity_rows(request)[2]
