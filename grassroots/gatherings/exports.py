"""The 导出 Excel of 会议活动 (grassroots.imports.lists): the list's rows for its filters, one function of the
request for the page and the export. For those who organize gatherings (gatherings.manage)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.gatherings import selectors
from grassroots.gatherings.filters import GatheringFilter
from grassroots.imports.lists import Column, ListExport, register_list_export


def gathering_filter(request) -> GatheringFilter:
    """The list's FilterSet on the gatherings the user may see (its `qs` is the page's rows)."""
    return GatheringFilter(request.GET or None, queryset=selectors.list_for(request.user), request=request)


@register_list_export
class GatheringExport(ListExport):
    kind = "gatherings"
    label = _("会议活动")
    permission = "gatherings.manage"
    back_url_name = "gatherings:list"
    columns = (
        Column(_("标题"), "title", 36),
        Column(_("类型"), "get_kind_display", 14),
        Column(_("状态"), "get_status_display", 10),
        Column(_("开始时间"), "starts_at", 18),
        Column(_("结束时间"), "ends_at", 18),
        Column(_("区域"), "area.name", 16),
        Column(_("地点"), "place", 20),
        Column(_("党组织"), "party_org.name", 20),
        Column(_("已报名人数"), "signed_up_count", 10),
        Column(_("人数上限"), "capacity", 10),
    )

    def rows(self, request):
        return gathering_filter(request).qs
