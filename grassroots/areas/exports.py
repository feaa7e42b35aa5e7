"""The 导出 Excel of 党组织 (grassroots.imports.lists): the list's organizations for its filters, one function
of the request for the page and the export. (The 区域与党组织 workbook in the import layout stays its own
export, `areas:export`.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, scoped
from grassroots.areas.filters import PartyOrgFilter
from grassroots.areas.models import PartyOrg
from grassroots.imports.lists import Column, ListExport, register_list_export

VIEW = "party_orgs.view"


def party_org_rows(request):
    """(area asked about or None, filterset, rows) of the 党组织 list: live organizations unless ?retired=."""
    area = area_from_request(request, VIEW)  # 404 outside the scope; the filter narrows the list
    data = request.GET.copy()
    data.setdefault("retired", "false")  # the live organizations unless asked otherwise
    orgs = scoped(PartyOrg.objects.all(), request.user, VIEW).select_related("area", "parent", "secretary")
    filterset = PartyOrgFilter(data, queryset=orgs, request=request)
    return area, filterset, filterset.qs.order_by("area__path", "kind", "name", "pk")


@register_list_export
class PartyOrgExport(ListExport):
    kind = "party-orgs"
    label = _("党组织")
    permission = VIEW
    back_url_name = "areas:party_org_list"
    columns = (
        Column(_("名称"), "name", 30),
        Column(_("类型"), "get_kind_display", 12),
        Column(_("所在区域"), "area.name", 16),
        Column(_("上级组织"), "parent.name", 24),
        Column(_("书记"), "secretary.display_name", 12),
        Column(_("已撤销"), "retired", 8),
    )

    def rows(self, request):
        return party_org_rows(request)[2]
