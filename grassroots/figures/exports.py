"""The dashboard's 导出 Excel (grassroots.imports.lists, docs/exports.md): every figure the page shows for its
area and year — the subtree's total, the area's own rows and each child area, ranked as on the page — one
row per line. The rows are the page's: the same `views.selection` of the request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots import replica
from grassroots.figures import compute, registry
from grassroots.imports.lists import Column, ListExport, register_list_export


def _number(value):
    return None if value is None else float(value)


def dashboard_rows(request) -> list[dict]:
    from grassroots.figures.views import selection

    try:
        area, year, shown, _paths = selection(request)
    except (PermissionDenied, Http404):
        return []  # the area is no longer in the requester's scope: nothing
    today = timezone.localdate()
    rows = []
    for definition in shown:
        with replica.reads():  # as the page: the figures from the read replica
            result = compute.breakdown(definition, area, year, today)
        lines = [(result.total, _("合计")), *([(result.own, _("本级（不含下级）"))] if result.own else [])]
        lines += [(line, _("下级区域")) for line in result.children]
        for line, scope in lines:
            rows.append(
                {
                    "label": definition.label,
                    "name": definition.name,
                    "year": year,
                    "area": line.area.name,
                    "level": line.area.level_label,
                    "scope": scope,
                    "value": _number(line.value),
                    "unit": definition.unit,
                    "definition": definition.definition,
                }
            )
    return rows


@register_list_export
class DashboardExport(ListExport):
    kind = "figures-dashboard"
    label = _("数据看板")
    permission = registry.DASHBOARD
    back_url_name = "figures:dashboard"
    columns = (
        Column(_("指标"), "label", 24),
        Column(_("区域"), "area", 20),
        Column(_("层级"), "level", 10),
        Column(_("范围"), "scope", 14),
        Column(_("数值"), "value", 10),
        Column(_("单位"), "unit", 8),
        Column(_("年度"), "year", 8),
        Column(_("口径"), "definition", 60),
        Column(_("指标名称"), "name", 24),
    )

    def rows(self, request):
        return dashboard_rows(request)
