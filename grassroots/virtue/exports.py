"""The 导出 Excel of 廉洁文化阵地 (?area= narrows to a subtree) and of 警示教育 (?year=)
(grassroots.imports.lists): each list's rows, one function of the request for the page and the export."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.virtue import selectors
from grassroots.virtue.forms import YearFilter


def venue_rows(request):
    """(area or None, rows) of the venues list."""
    area = area_from_request(request, selectors.VIEW)
    rows = selectors.venues(request.user).order_by("area__path", "name", "pk")
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return area, rows


@register_list_export
class VenueExport(ListExport):
    kind = "virtue-venues"
    label = _("廉洁文化阵地")
    permission = selectors.VIEW
    back_url_name = "virtue:venue_list"
    columns = (
        Column(_("名称"), "name", 30),
        Column(_("类型"), "get_kind_display", 14),
        Column(_("区域"), "area.name", 16),
        Column(_("位置"), "address", 30),
        Column(_("照片"), "photo_count", 8),
    )

    def rows(self, request):
        return venue_rows(request)[1]


def warning_rows(request):
    """(year filter, year, sessions) of 警示教育: the sessions of the teams in scope held in ?year= (this year
    by default), each with how many attended."""
    year_filter = YearFilter(request.GET or None)
    year = (
        year_filter.cleaned_data.get("year") if year_filter.is_valid() else None
    ) or timezone.localdate().year
    return (
        year_filter,
        year,
        selectors.warning_educations(request.user).filter(gathering__starts_at__year=year),
    )


@register_list_export
class WarningExport(ListExport):
    kind = "virtue-warnings"
    label = _("警示教育")
    permission = selectors.VIEW
    back_url_name = "virtue:warning_list"
    columns = (
        Column(_("主题"), "gathering.title", 36),
        Column(_("受教育班子"), "team.name", 20),
        Column(_("形式"), "get_mode_display", 12),
        Column(_("开始时间"), "gathering.starts_at", 18),
        Column(_("状态"), "gathering.get_status_display", 10),
        Column(_("出席人数"), "attended", 10),
    )

    def rows(self, request):
        return warning_rows(request)[2]
