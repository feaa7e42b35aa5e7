"""The 导出 Excel of 新兴领域单位, 覆盖空白, 党建指导员, 双向交叉任职 and 组团服务 (grassroots.imports.lists):
each list's rows for its area (and filters), one function of the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.areas.subtree import under_q
from grassroots.core.coverage import selectors
from grassroots.core.coverage.filters import EntityFilter
from grassroots.core.coverage.selectors import VIEW
from grassroots.imports.lists import Column, ListExport, register_list_export


def entity_rows(request):
    """(area, filterset, rows) of the entities list: the area asked about (else the working area), its
    filters, the rows in order."""
    area = area_from_request(request, VIEW, required=True)
    rows = selectors.with_flag(selectors.entities_for(request.user).filter(under_q(area.path)))
    filterset = EntityFilter(request.GET, queryset=rows, request=request)
    return area, filterset, filterset.qs.order_by("area__path", "name")


@register_list_export
class EntityExport(ListExport):
    kind = "coverage-entities"
    label = _("新兴领域单位")
    permission = VIEW
    back_url_name = "coverage:entity_list"
    columns = (
        Column(_("单位"), "name", 30),
        Column(_("类型"), "get_kind_display"),
        Column(_("所在区域"), "area.name"),
        Column(_("党员"), "member_count", 8),
        Column(_("正式党员"), "full_count", 8),
        Column(_("党员数为手工填报"), lambda e: not e.from_records, 10),
        Column(_("覆盖情况"), "get_status_display"),
        Column(_("所属党组织"), "party_org.name", 24),
        Column(_("应单独建立党支部"), lambda e: bool(e.flagged), 10),
    )

    def rows(self, request):
        return entity_rows(request)[2]


def gap_rows(request):
    """(area, rows) of 覆盖空白: the entities of the area asked about (else the working area) not covered,
    or that should form their own branch (first)."""
    area = area_from_request(request, VIEW, required=True)
    return area, selectors.gaps(selectors.entities_for(request.user).filter(under_q(area.path)))


@register_list_export
class GapExport(ListExport):
    kind = "coverage-gaps"
    label = _("覆盖空白")
    permission = VIEW
    back_url_name = "coverage:gaps"
    columns = (
        Column(_("单位"), "name", 30),
        Column(_("类型"), "get_kind_display"),
        Column(_("所在区域"), "area.name"),
        Column(_("从业人员"), "employees", 10),
        Column(_("党员"), "member_count", 8),
        Column(_("正式党员"), "full_count", 8),
        Column(_("党员数为手工填报"), lambda e: not e.from_records, 10),
        Column(_("覆盖情况"), "get_status_display"),
        Column(_("应单独建立党支部"), lambda e: bool(e.flagged), 10),
    )

    def rows(self, request):
        return gap_rows(request)[1]


def instructor_rows(request):
    """(area, rows) of 党建指导员: the area asked about (else the working area)."""
    area = area_from_request(request, VIEW, required=True)
    rows = selectors.instructors_for(request.user).filter(under_q(area.path))
    return area, rows.order_by("area__path", "name")


def cross_rows(request):
    """(area, rows) of 双向交叉任职: the appointments of the organizations of the area, latest first."""
    area = area_from_request(request, VIEW, required=True)
    rows = selectors.cross_appointments_for(request.user).filter(under_q(area.path, "org__area__path"))
    return area, rows.order_by("-starts_on", "pk")


def team_rows(request):
    """(area, rows) of 组团服务: the service teams of the area."""
    area = area_from_request(request, VIEW, required=True)
    rows = selectors.teams_for(request.user).filter(under_q(area.path))
    return area, rows.order_by("area__path", "name")


@register_list_export
class InstructorExport(ListExport):
    kind = "coverage-instructors"
    label = _("党建指导员")
    permission = VIEW
    back_url_name = "coverage:instructor_list"
    columns = (
        Column(_("姓名"), "name", 12),
        Column(_("选派党组织"), "sent_by.name", 24),
        Column(_("指导区域"), "area.name", 16),
        Column(_("指导单位"), "entity_count", 10),
        Column(_("走访次数"), "visit_count", 10),
        Column(_("选派日期"), "appointed_on", 12),
    )

    def rows(self, request):
        return instructor_rows(request)[1]


@register_list_export
class CrossExport(ListExport):
    kind = "coverage-cross"
    label = _("双向交叉任职")
    permission = VIEW
    back_url_name = "coverage:cross_list"
    columns = (
        Column(_("姓名"), "person_name", 12),
        Column(_("本职单位"), "org.name", 24),
        Column(_("本职职务"), "position", 16),
        Column(_("兼职单位"), "other_label", 24),
        Column(_("兼职职务"), "other_position", 16),
        Column(_("任职起"), "starts_on", 12),
        Column(_("任职止"), "ends_on", 12),
    )

    def rows(self, request):
        return cross_rows(request)[1]


@register_list_export
class TeamExport(ListExport):
    kind = "coverage-teams"
    label = _("组团服务")
    permission = VIEW
    back_url_name = "coverage:team_list"
    columns = (
        Column(_("服务团队"), "name", 24),
        Column(_("所属区域"), "area.name", 16),
        Column(_("负责人"), "leader", 12),
        Column(_("成员"), "member_count", 8),
        Column(_("服务单位"), "entity_count", 10),
        Column(_("服务记录"), "record_count", 10),
    )

    def rows(self, request):
        return team_rows(request)[1]


def overview_rows(request):
    """(area, entities, kinds, children) of 新兴领域党建覆盖: the entities of ?area= (the working area by
    default; 404 outside the scope), their coverage by kind and by child area (the area's own line too)."""
    area = area_from_request(request, VIEW, required=True)
    entities = selectors.entities_for(request.user).filter(under_q(area.path))
    return area, entities, selectors.by_kind(entities), selectors.by_child_area(entities, area)


def _rate(line):
    return "—" if line.rate is None else line.rate


def _child_label(line) -> str:
    return line.label if line.area else gettext("%(area)s（本级）") % {"area": line.label}


@register_list_export
class OverviewExport(ListExport):
    kind = "coverage-overview"
    label = _("覆盖情况（按下级区域）")
    permission = VIEW
    back_url_name = "coverage:overview"
    columns = (
        Column(_("区域"), _child_label, 20),
        Column(_("单位"), "total", 8),
        Column(_("已覆盖"), "covered", 8),
        Column(_("未覆盖"), "uncovered", 8),
        Column(_("应单独建支部"), "flagged", 12),
        Column(_("覆盖率（%）"), _rate, 10),
    )

    def rows(self, request):
        return overview_rows(request)[3]


@register_list_export
class KindsExport(ListExport):
    kind = "coverage-kinds"
    label = _("覆盖情况（按类型）")
    permission = VIEW
    back_url_name = "coverage:overview"
    columns = (
        Column(_("类型"), "label", 16),
        Column(_("单位"), "total", 8),
        Column(_("单独建立"), "own", 10),
        Column(_("联合建立"), "joint", 10),
        Column(_("指导员覆盖"), "instructor", 10),
        Column(_("未覆盖"), "uncovered", 8),
        Column(_("覆盖率（%）"), _rate, 10),
    )

    def rows(self, request):
        return overview_rows(request)[2]
