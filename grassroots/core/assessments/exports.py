"""The 导出 Excel of the grid cadre scores (网格干部考察得分), 工作督察, 整改清单, 党建述职评议 (a score
only where the page shows it to the user), 考核方案, 现场会 and 派驻机构 (grassroots.imports.lists): the
rows each page lists for its filters (every page of them), through one function of the request for the
page and the export. The pages name people by their display name, and so do the files."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.core.assessments.filters import (
    FindingFilter,
    InspectionFilter,
    SiteMeetingFilter,
    WorkReportFilter,
)
from grassroots.core.assessments.rules import VIEW
from grassroots.core.assessments.selectors import inspections as inspection_selectors
from grassroots.core.assessments.selectors import meetings as meeting_selectors
from grassroots.core.assessments.selectors import people as selectors
from grassroots.core.assessments.selectors import reports as report_selectors
from grassroots.core.assessments.selectors import schemes as scheme_selectors
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


def report_rows(request):
    """(area or None, FilterSet) of 党建述职评议: ?area= (404 outside the scope), ?year=, ?state=,
    ?party_org=."""
    area = area_from_request(request, VIEW)
    queryset = report_selectors.reports_for(request.user)
    return area, WorkReportFilter(request.GET, queryset=queryset, request=request)


class ScoredReports:
    """The reports with `show_scores` set per report for the user, as the page sets it: a score is in the
    file only where the page shows it (published, or the user organizes the review)."""

    def __init__(self, queryset, user):
        self.queryset, self.user = queryset, user

    def __len__(self) -> int:
        return self.queryset.count()

    def __iter__(self):
        for report in self.queryset.iterator(chunk_size=2000):
            report.show_scores = report_selectors.can_see_scores(self.user, report)
            yield report


def _score(report):
    return report.average_score if report.show_scores else None


def _grade(report):
    return report.get_grade_display() if report.show_scores and report.grade else None


@register_list_export
class ReportExport(ListExport):
    kind = "assessments-reports"
    label = _("党建述职评议")
    permission = VIEW
    back_url_name = "assessments:report_list"
    columns = (
        Column(_("年度"), "year", 8),
        Column(_("党组织"), "party_org.name", 30),
        Column(_("所在区域"), "area.name", 16),
        Column(_("述职人"), "reporter.display_name", 12),
        Column(_("状态"), "state_label", 10),
        Column(_("平均分"), _score, 10),
        Column(_("等次"), _grade, 10),
    )

    def rows(self, request):
        return ScoredReports(report_rows(request)[1].qs, request.user)


def scheme_rows(request):
    """(year or None, schemes) of 考核: ?year= (every year by default)."""
    year = year_param(request, default_current=False)
    return year, scheme_selectors.schemes_for(request.user, year=year)


@register_list_export
class SchemeExport(ListExport):
    kind = "assessments-schemes"
    label = _("考核方案")
    permission = VIEW
    back_url_name = "assessments:scheme_list"
    columns = (
        Column(_("考核方案"), "name", 36),
        Column(_("年度"), "year", 8),
        Column(_("制定区域"), "area.name", 16),
        Column(_("考核对象"), "level_label", 12),
        Column(_("计算状态"), "get_compute_status_display", 10),
        Column(_("计算时间"), "computed_at", 18),
    )

    def rows(self, request):
        return scheme_rows(request)[1]


def site_meeting_rows(request):
    """(area or None, FilterSet) of 现场会 (its first tab; the review meetings of the second are gatherings,
    exported from 会议活动): ?area= (404 outside the scope), ?shows=, ?year=, ?host_area=."""
    area = area_from_request(request, VIEW)
    queryset = meeting_selectors.site_meetings_for(request.user)
    return area, SiteMeetingFilter(request.GET, queryset=queryset, request=request)


@register_list_export
class SiteMeetingExport(ListExport):
    kind = "assessments-site-meetings"
    label = _("现场会")
    permission = VIEW
    back_url_name = "assessments:site_meetings"
    columns = (
        Column(_("会议"), "gathering.title", 36),
        Column(_("开始时间"), "gathering.starts_at", 18),
        Column(_("组织单位所在区域"), "gathering.area.name", 16),
        Column(_("承办区域"), "host_area.name", 16),
        Column(_("观摩内容"), "get_shows_display", 12),
        Column(_("观摩单位"), "visiting_orgs", 30),
        Column(_("经验启示"), "lesson_count", 10),
        Column(_("已转化任务"), "tasked_count", 10),
    )

    def rows(self, request):
        return site_meeting_rows(request)[1].qs


def agency_rows(request):
    """(year, street or None, agencies) of 派驻机构: ?area= (404 outside the scope) and ?year= (this year by
    default, the year of the score shown)."""
    year = year_param(request)
    street = area_from_request(request, VIEW)
    return year, street, selectors.agencies_for(request.user, street=street, year=year)


@register_list_export
class AgencyExport(ListExport):
    kind = "assessments-agencies"
    label = _("派驻机构")
    permission = VIEW
    back_url_name = "assessments:agency_list"
    columns = (
        Column(_("机构名称"), "name", 30),
        Column(_("派出部门"), "department", 20),
        Column(_("所在街道（乡镇）"), "street.name", 16),
        Column(_("负责人"), "head.display_name", 12),
        Column(_("已撤离"), lambda agency: not agency.active, 8),
        Column(_("年度考评"), "year_score", 10),
    )

    def rows(self, request):
        return agency_rows(request)[2]
