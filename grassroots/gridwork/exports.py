"""The 导出 Excel of 我的走访日志 (grassroots.imports.lists): the grid worker's own visits for the month
chosen, one function of the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.gridwork import selectors, services
from grassroots.gridwork.forms import MonthFilter
from grassroots.imports.lists import Column, ListExport, register_list_export


def visit_rows(request):
    """(month filter, rows) of the visit log: ?month=YYYY-MM, else every month."""
    month_filter = MonthFilter(request.GET or None)
    month = month_filter.cleaned_data["month"] if month_filter.is_valid() else None
    return month_filter, selectors.my_visits(request.user, month)


def _follow_up(visit) -> str:
    if visit.awaits_follow_up:
        return str(_("待跟进"))
    return str(_("已办结")) if visit.follow_up else ""


@register_list_export
class VisitExport(ListExport):
    kind = "gridwork-visits"
    label = _("走访日志")
    permission = services.RECORD
    back_url_name = "gridwork:visit_list"
    columns = (
        Column(_("走访日期"), "visited_on", 12),
        Column(_("区域"), "area.name", 16),
        Column(_("住户"), "household.name", 16),
        Column(_("居民"), lambda visit: str(visit.resident) if visit.resident_id else "", 12),
        Column(_("民情记录"), "heard", 60),
        Column(_("跟进"), _follow_up, 10),
        Column(_("跟进说明"), "follow_up_note", 30),
        Column(_("跟进结果"), "closing_note", 30),
    )

    def rows(self, request):
        return visit_rows(request)[1]
