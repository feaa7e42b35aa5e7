"""The 导出 Excel of 居民意见 (grassroots.imports.lists): the list's rows for its tab (state, mine), one
function of the request for the page and the export. Who wrote an opinion is not on the list, nor in the
file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.selfgov import selectors
from grassroots.selfgov.models import OpinionState


def opinion_rows(request):
    """(state, rows) of the opinions list: ?state= (submitted by default, empty for all) and ?mine=1."""
    queryset = selectors.visible_opinions(request.user).select_related("area", "matter")
    state = request.GET.get("state", OpinionState.SUBMITTED)
    if state in OpinionState.values:
        queryset = queryset.filter(state=state)
    if request.GET.get("mine"):
        queryset = queryset.filter(author=request.user)
    return state, queryset.order_by("-support_count", "-created_at", "-pk")


@register_list_export
class OpinionExport(ListExport):
    kind = "selfgov-opinions"
    label = _("居民意见")
    permission = "selfgov.view"
    back_url_name = "selfgov:opinion_list"
    columns = (
        Column(_("状态"), "state_label", 12),
        Column(_("类别"), "get_category_display", 12),
        Column(_("意见内容"), "text", 60),
        Column(_("院落或地点"), "area.name", 16),
        Column(_("具体位置"), "place", 20),
        Column(_("附议人数"), "support_count", 10),
        Column(_("已达附议门槛"), lambda o: o.threshold_reached_at is not None, 10),
        Column(_("提交时间"), "created_at", 18),
        Column(_("转为议事事项"), "matter.title", 30),
    )

    def rows(self, request):
        return opinion_rows(request)[1]
