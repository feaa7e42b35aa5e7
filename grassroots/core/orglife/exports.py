"""The 导出 Excel of 三会一课落实情况 (grassroots.imports.lists): the page's branch table — every branch of
the period and area (all pages), those behind first, met/required per rule — through one function of the
request for the page and the export (the branches from `visible_branches`, the one scoping function behind
it). The columns follow the rules in force (settings.ORGLIFE_FREQUENCY), as the page's do. Also a branch's
备案单与指导单 and 报告单 of a year, the lists of the branch's page (?branch=, ?period=)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, working_area
from grassroots.areas.subtree import under_q
from grassroots.core.orglife.filters import GuidanceFilter, PlanFilter, ReportFilter
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.views._common import period_from
from grassroots.ids import as_id
from grassroots.imports.lists import Column, ListExport, register_list_export

VIEW = "orglife.view"


def compliance_rows(request):
    """(period, area or None, branches) of the compliance page: ?period= (this year by default), ?area= (the
    working area by default; secretaries, holding orglife.view on their organizations only, get none)."""
    period = period_from(request)
    user = request.user
    area = area_from_request(request, VIEW) or working_area(user, VIEW)
    rows = selectors.visible_branches(user)
    if area is not None:
        rows = rows.filter(under_q(area.path))
    return period, area, rows


def _cell(index: int):
    def value(branch) -> str:
        met, required = branch.cells[index]
        return f"{met}/{required}" if required else "—"

    return value


@register_list_export
class ComplianceExport(ListExport):
    kind = "orglife-compliance"
    label = _("三会一课落实情况")
    permission = VIEW
    back_url_name = "orglife:compliance"

    @classproperty
    def columns(cls):
        return (
            Column(_("党支部"), "name", 30),
            Column(_("所在区域"), "area.name", 16),
            *(Column(rule.label, _cell(i), 10) for i, rule in enumerate(compliance.rules())),
            Column(_("已开"), "met", 8),
            Column(_("应开"), "required", 8),
        )

    def rows(self, request):
        period, _area, branches = compliance_rows(request)
        return compliance.with_branches(compliance.figures(branches, period))


def branch_plans(user, branch, year):
    """The branch's plans (备案单) of the year with their guidance (指导单), as its page lists them."""
    guidance = GuidanceFilter({"branch": branch.pk}, queryset=selectors.guidance_rows()).qs
    plans = PlanFilter({"branch": branch.pk, "year": year}, queryset=selectors.plans_for(user)).qs
    return plans.prefetch_related(Prefetch("guidance", queryset=guidance))


def branch_reports(user, branch, year):
    """The branch's reports (报告单) of the year, as its page lists them."""
    return ReportFilter({"branch": branch.pk, "year": year}, queryset=selectors.reports_for(user)).qs


def branch_of(request):
    """(branch, year) of a branch's page as its exports see it: ?branch=<id> (404 if the user may not see
    it), ?period= (this year by default)."""
    pk = as_id(request.GET.get("branch"))
    if pk is None:
        raise Http404
    return selectors.get_branch_or_404(request.user, pk), period_from(request).start.year


def _guidance(plan) -> list[str]:
    return [str(g.get_decision_display()) for g in plan.guidance.all()]


@register_list_export
class PlanExport(ListExport):
    kind = "orglife-plans"
    label = _("备案单与指导单")
    permission = VIEW
    back_url_name = "orglife:compliance"
    columns = (
        Column(_("党支部"), "branch.name", 24),
        Column(_("期间"), "period.label", 16),
        Column(_("状态"), "state_label", 10),
        Column(_("计划会议（次）"), "item_count", 12),
        Column(_("指导单"), _guidance, 24),
    )

    def rows(self, request):
        branch, year = branch_of(request)
        return branch_plans(request.user, branch, year)


@register_list_export
class BranchReportExport(ListExport):
    kind = "orglife-reports"
    label = _("报告单")
    permission = VIEW
    back_url_name = "orglife:compliance"
    columns = (
        Column(_("党支部"), "branch.name", 24),
        Column(_("召开日期"), "held_on", 12),
        Column(_("类型"), "kind_label", 12),
        Column(_("主题"), "gathering.title", 36),
        Column(_("出席"), "present_count", 8),
        Column(_("缺席"), "absent_count", 8),
        Column(_("状态"), "state_label", 10),
    )

    def rows(self, request):
        branch, year = branch_of(request)
        return branch_reports(request.user, branch, year)
