"""The 导出 Excel of the grid cadre scores (网格干部考察得分), 工作督察 and 整改清单
(grassroots.imports.lists): the rows each page lists for its filters (every page of them), through one
function of the request for the page and the export. The pages name people by their display name, and so
do the files."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.core.assessments.filters import FindingFilter, InspectionFilter
from grassroots.core.assessments.rules import VIEW
from grassroots.core.assessments.selectors import inspections as inspection_selectors
from grassroots.core.assessments.selectors import people as selectors
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.pages import year_param


def cadre_score_rows(request):
    """(year, area or None, rows) of the grid cadre scores page: ?year= (this year by default), ?area= for
    those who assess (assessments.view; others see their own score, unfiltered)."""
    year = year_param(request)
    area = area_from_request(request, VIEW) if has_perm(request.user, VIEW) else None
    return year, area, selectors.cadre_scores_for(request.user, year=year, area=area)


@register_list_export
class CadreScoreExport(ListExport):
    kind = "assessments-cadres"
    label = _("网格干部考察得分")
    permission = VIEW
    back_url_name = "assessments:grid_extension"
    columns = (
        Column(_("年度"), "year", 8),
        Column(_("街道（乡镇）"), "street.name"),
        Column(_("姓名"), "person.display_name", 12),
        Column(_("服务网格"), lambda row: [grid.name for grid in row.grids.all()], 24),
        Column(_("网格任务数"), "tasks_total", 10),
        Column(_("已完成"), "tasks_approved", 8),
        Column(_("按期完成"), "tasks_on_time", 8),
        Column(_("任务得分率（%）"), "task_percent", 12),
        Column(_("居民评价（星）"), "rating", 12),
        Column(_("评价人数"), "ratings", 8),
        Column(_("考察得分"), "score", 10),
        Column(_("街道内排名"), "rank_in_peers", 10),
        Column(_("参与排名人数"), "peers", 10),
    )

    def rows(self, request):
        return cadre_score_rows(request)[2]


def inspection_rows(request):
    """(area or None, FilterSet) of the inspections list: ?area= (404 outside the scope), ?year= and the
    list's other filters."""
    area = area_from_request(request, VIEW)
    queryset = inspection_selectors.inspections_for(request.user)
    return area, InspectionFilter(request.GET, queryset=queryset, request=request)


def _inspected(inspection) -> str:
    org = inspection.party_org
    return f"{inspection.area.name} · {org.name}" if org is not None else inspection.area.name


@register_list_export
class InspectionExport(ListExport):
    kind = "assessments-inspections"
    label = _("工作督察")
    permission = VIEW
    back_url_name = "assessments:inspection_list"
    columns = (
        Column(_("督察日期"), "inspected_on", 12),
        Column(_("督察事项"), "title", 36),
        Column(_("督察对象"), _inspected, 24),
        Column(_("督察单位"), "by_area.name", 16),
        Column(_("问题"), "finding_count", 8),
        Column(_("未销号"), "open_count", 8),
        Column(_("逾期"), "overdue_count", 8),
    )

    def rows(self, request):
        return inspection_rows(request)[1].qs


def finding_rows(request):
    """(area or None, FilterSet) of the findings list: ?area= (404 outside the scope), ?state=, ?overdue=1,
    ?mine=1, ?year=."""
    area = area_from_request(request, VIEW)
    findings = inspection_selectors.findings_for(request.user)
    return area, FindingFilter(request.GET, queryset=findings, request=request)


@register_list_export
class FindingExport(ListExport):
    kind = "assessments-findings"
    label = _("整改清单")
    permission = VIEW
    back_url_name = "assessments:finding_list"
    columns = (
        Column(_("问题"), "description", 50),
        Column(_("状态"), "state_label", 10),
        Column(_("逾期"), "overdue", 8),
        Column(_("所在区域"), "area.name", 16),
        Column(_("责任人"), "owner.display_name", 12),
        Column(_("整改期限"), "deadline", 12),
        Column(_("督察事项"), "inspection.title", 30),
    )

    def rows(self, request):
        return finding_rows(request)[1].qs
