"""The 导出 Excel of 廉洁文化阵地 (grassroots.imports.lists): the list's rows (?area= narrows to a subtree),
one function of the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.virtue import selectors


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
