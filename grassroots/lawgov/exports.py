"""The 导出 Excel of the mediator's 调解案件, of 双报到结对 and of 法律服务站 (grassroots.imports.lists):
each list's rows through one function of the request for the page and the export. The parties of a case are
not on the list, nor in the file; a pairing's community side is named as on the list."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.ids import as_id
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.lawgov import selectors_disputes as selectors
from grassroots.lawgov import selectors_pairings, selectors_stations, services_stations
from grassroots.lawgov.figures import subtree_figures
from grassroots.lawgov.models_pairings import PairingKind, PairingState
from grassroots.pages import year_param


def caseload_rows(request):
    return selectors.caseload(request.user)


@register_list_export
class CaseloadExport(ListExport):
    kind = "lawgov-caseload"
    label = _("调解案件")
    permission = selectors.MEDIATE
    back_url_name = "lawgov:caseload"
    columns = (
        Column(_("案件编号"), "number", 14),
        Column(_("纠纷事由"), "title", 36),
        Column(_("状态"), "state_label", 10),
        Column(_("调解层级"), "get_level_display", 12),
        Column(_("类型"), "get_kind_display", 12),
        Column(_("纠纷类别"), "get_category_display", 12),
        Column(_("可能激化"), "at_risk", 8),
        Column(_("调解期限"), "due_on", 12),
        Column(_("发生地"), "area.name", 16),
        Column(_("承办区域"), "handler.name", 16),
    )

    def rows(self, request):
        return caseload_rows(request)


def pairing_rows(request):
    """(state, kind, rows) of the pairings list: ?state= and ?kind= (unknown values: every one)."""
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    state = state if state in PairingState.values else ""
    kind = kind if kind in PairingKind.values else ""
    return state, kind, selectors_pairings.pairing_list(request.user, state=state, kind=kind)


def _cadre(pairing) -> str:
    cadre = pairing.cadre
    return (cadre.get_full_name() or cadre.username) if cadre is not None else ""


@register_list_export
class PairingExport(ListExport):
    kind = "lawgov-pairings"
    label = _("双报到结对")
    permission = selectors_pairings.VIEW
    back_url_name = "lawgov:pairing_list"
    columns = (
        Column(_("结对单位"), "partner.name", 24),
        Column(_("结对干部"), _cadre, 12),
        Column(_("结对对象"), "paired_with", 24),
        Column(_("结对类型"), "get_kind_display", 12),
        Column(_("单位类别"), "get_department_display", 12),
        Column(_("结对社区"), "community.name", 16),
        Column(_("开始日期"), "started_on", 12),
        Column(_("状态"), "get_state_display", 10),
        Column(_("服务次数"), "service_count", 10),
        Column(_("服务时长（小时）"), "service_hours", 14),
    )

    def rows(self, request):
        return pairing_rows(request)[2]


def station_rows(request):
    """The stations the user runs, and the station of the community they live in (by community)."""
    return selectors_stations.visible_stations(request.user).order_by("area__path", "pk")


@register_list_export
class StationExport(ListExport):
    kind = "lawgov-stations"
    label = _("法律服务站")
    permission = services_stations.MANAGE
    back_url_name = "lawgov:station_list"
    columns = (
        Column(_("名称"), "name", 30),
        Column(_("所在社区"), "area.name", 16),
        Column(_("地址"), "place", 30),
        Column(_("开放时间"), "opening_hours", 24),
    )

    def rows(self, request):
        return station_rows(request)


def station_consultations(user, station):
    """A station's consultations as its page lists them (the user's scope), newest first."""
    return (
        selectors_stations.visible_consultations(user).filter(station=station).order_by("-recorded_at", "-pk")
    )


def consultation_rows(request):
    """(station, consultations) of a station's 法律咨询登记 page: ?station=<id> (404 unless the user runs
    the station)."""
    pk = as_id(request.GET.get("station"))
    if pk is None:
        raise Http404
    station = get_object_or_404(selectors_stations.managed_stations(request.user), pk=pk)
    return station, station_consultations(request.user, station)


@register_list_export
class ConsultationExport(ListExport):
    """A resident's legal question is read in full on its own page (an access logged there); the list, and
    so the file, shows its first 40 characters."""

    kind = "lawgov-consultations"
    label = _("法律咨询登记")
    permission = services_stations.MANAGE
    back_url_name = "lawgov:station_list"
    columns = (
        Column(_("登记时间"), "recorded_at", 18),
        Column(_("法律服务站"), "station.name", 24),
        Column(_("咨询类别"), "get_topic_display", 12),
        Column(_("咨询问题"), lambda c: Truncator(c.question).chars(40), 44),
        Column(_("处理方式"), "get_referral_display", 12),
        Column(_("纠纷编号"), "dispute.number", 16),
    )

    def rows(self, request):
        return consultation_rows(request)[1]


def my_dispute_rows(request):
    """The resident's own cases (我的纠纷调解), newest first: those they are a party to or filed online."""
    return selectors.my_disputes(request.user)


def _my_title(dispute) -> str:
    # as the row shows it: the title to whoever reads the case file, else only the category
    return dispute.title if dispute.case_file else str(dispute.get_category_display())


@register_list_export
class MyDisputeExport(ListExport):
    kind = "lawgov-my-disputes"
    label = _("我的纠纷调解")
    permission = "lawgov.own_disputes"
    back_url_name = "lawgov:my_disputes"
    columns = (
        Column(_("案件编号"), "number", 14),
        Column(_("纠纷事由"), _my_title, 36),
        Column(_("状态"), "state_label", 10),
        Column(_("调解层级"), "get_level_display", 12),
        Column(_("类型"), "get_kind_display", 12),
        Column(_("可能激化"), "at_risk", 8),
        Column(_("调解期限"), lambda d: d.due_on if d.is_open else None, 12),
    )

    def rows(self, request):
        return my_dispute_rows(request)


def figures_rows(request):
    """(area, year, figures) of 法治数据: ?area= (the working area by default; 404 outside the scope), ?year=
    (this year by default): the subtree's total, the area's own line and each child area's, the ones behind
    first (lawgov/figures.py, five queries of figures)."""
    area = area_from_request(request, selectors.VIEW, required=True)
    year = year_param(request)
    return area, year, subtree_figures(area, year)


def _line_name(line) -> str:
    return gettext("%(area)s（本级）") % {"area": line.area.name} if line.own else line.area.name


def _percent(line):
    rate = line.settlement_rate
    return "—" if rate is None else round(float(rate) * 100, 1)


@register_list_export
class FiguresExport(ListExport):
    kind = "lawgov-figures"
    label = _("法治数据")
    permission = selectors.VIEW
    back_url_name = "lawgov:figures"
    columns = (
        Column(_("区域"), _line_name, 20),
        Column(_("受理"), "received", 8),
        Column(_("调解成功率（%）"), _percent, 14),
        Column(_("用时中位数（天）"), lambda line: "—" if line.median_days is None else line.median_days, 14),
        Column(_("上移"), "escalations", 8),
        Column(_("在办"), "f.open", 8),
        Column(_("可能激化"), "f.at_risk", 10),
        Column(_("超期"), "f.overdue", 8),
        Column(_("举办场次"), "f.held", 10),
        Column(_("预约人次"), "f.bookings", 10),
        Column(_("咨询"), "f.consultations", 8),
        Column(_("结对"), "f.pairings", 8),
        Column(_("服务时长（小时）"), lambda line: float(line.f.get("service_hours") or 0), 14),
    )

    def rows(self, request):
        figures = figures_rows(request)[2]
        return [figures.own, *figures.children] if figures.own else list(figures.children)
