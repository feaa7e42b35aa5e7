"""The 导出 Excel of the funds ledger (随事经费台账), of 社区事务准入申请, of the catalog (社区事务准入目录)
and of what the communities carry (社区承接事务) (grassroots.imports.lists): each list's rows through one
function of the request for the page and the export. The ledger names no person (who allotted, paid or
confirmed is on the record's own page), so nothing is masked, as on the page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from grassroots.access.scoping import area_from_request
from grassroots.core.admission import selectors
from grassroots.core.admission.filters import AffairFilter, FundsFilter, RequestFilter
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.pages import year_param


def funds_rows(request):
    """(FundsFilter, cleaned data) of the ledger on ?state=&year=&q=&area= (this year by default, every year
    for an empty year or "all" — what the export button pins then): one function of the request for the page
    and the export."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    if data["year"] == "all":
        data["year"] = ""
    filterset = FundsFilter(data, queryset=selectors.funds_ledger(request.user), request=request)
    return filterset, (filterset.form.cleaned_data if filterset.is_valid() else {})


@register_list_export
class FundsExport(ListExport):
    kind = "admission-funds"
    label = gettext_lazy("随事经费台账")
    permission = "admission.view"
    back_url_name = "admission:funds_list"
    columns = (
        Column(gettext_lazy("年度"), "year", 8),
        Column(gettext_lazy("社区"), "area.name"),
        Column(gettext_lazy("准入事项"), "affair.name", 30),
        Column(gettext_lazy("拨付部门"), "department", 20),
        Column(gettext_lazy("金额（元）"), "amount", 12),
        Column(gettext_lazy("状态"), "get_state_display", 10),
        Column(gettext_lazy("下达日期"), "allotted_on", 12),
        Column(gettext_lazy("下达文号"), "allot_document", 20),
        Column(gettext_lazy("拨付日期"), "transferred_on", 12),
        Column(gettext_lazy("拨付凭证号"), "transfer_document", 20),
        Column(gettext_lazy("到账日期"), "received_on", 12),
    )

    def rows(self, request):
        return funds_rows(request)[0].qs


def request_rows(request):
    """(state, rows) of the requests list: ?state= (pending — waiting for my step — by default)."""
    data = request.GET.copy()
    data.setdefault("state", "pending")  # the first tab: waiting for my step
    filterset = RequestFilter(data, queryset=selectors.requests_for(request.user), request=request)
    return data["state"], filterset.qs


@register_list_export
class RequestExport(ListExport):
    kind = "admission-requests"
    label = gettext_lazy("准入申请")
    permission = "admission.view"
    back_url_name = "admission:request_list"
    columns = (
        Column(gettext_lazy("事项名称"), "name", 30),
        Column(gettext_lazy("状态"), "get_state_display", 10),
        Column(gettext_lazy("申请部门"), "department", 20),
        Column(gettext_lazy("区域"), "area.name"),
        Column(gettext_lazy("经费（元/社区/年）"), "funds_per_community", 14),
        Column(gettext_lazy("提交时间"), "submitted_at", 18),
    )

    def rows(self, request):
        return request_rows(request)[1]


def catalog_rows(request):
    """The catalog's AffairFilter on ?q=&valid= (the affairs in force by default, as the page opens)."""
    data = request.GET.copy()
    data.setdefault("valid", "current")  # the page opens on the affairs in force; the API on all of them
    return AffairFilter(data, queryset=selectors.catalog(request.user), request=request)


@register_list_export
class CatalogExport(ListExport):
    kind = "admission-catalog"
    label = gettext_lazy("社区事务准入目录")
    permission = "admission.view"
    back_url_name = "admission:catalog"
    columns = (
        Column(gettext_lazy("事项名称"), "name", 30),
        Column(gettext_lazy("责任部门"), "department", 20),
        Column(gettext_lazy("适用区域"), "area.name"),
        Column(gettext_lazy("经费（元/社区/年）"), "funds_per_community", 14),
        Column(gettext_lazy("生效日期"), "valid_from", 12),
        Column(gettext_lazy("失效日期"), lambda a: a.valid_to or gettext_lazy("长期"), 12),
        Column(gettext_lazy("符合权随责走"), "complies", 12),
    )

    def rows(self, request):
        return catalog_rows(request).qs


def community_rows(request):
    """(area, year, rows) of 社区承接事务: the communities under ?area= (the user's own area by default) in
    scope, each with the affairs it carries in ?year= (this year by default) and their funds."""
    year = year_param(request)
    area = area_from_request(request, "admission.view", required=True)
    return area, year, selectors.communities_overview(request.user, area, year)


@register_list_export
class CommunityExport(ListExport):
    kind = "admission-communities"
    label = gettext_lazy("社区承接事务")
    permission = "admission.view"
    back_url_name = "admission:communities"
    columns = (
        Column(gettext_lazy("社区"), "name", 20),
        Column(gettext_lazy("承接事项数"), "affair_count", 12),
        Column(gettext_lazy("随事经费（元）"), "funds", 14),
    )

    def rows(self, request):
        return community_rows(request)[2]


def funds_overview_rows(request):
    """(area, year, lines, total) of 经费到位情况: ?area= (the user's own area by default), ?year= (this year
    by default); lines: (child area or None for the area's own, figures), the most unfunded first."""
    year = year_param(request)
    area = area_from_request(request, "admission.view", required=True)
    breakdown = selectors.unfunded_by_child(request.user, area, year)
    lines = sorted(breakdown.lines(), key=lambda line: (-line[1]["unfunded"], -line[1]["carried"]))
    return area, year, lines, breakdown.total


@register_list_export
class FundsOverviewExport(ListExport):
    kind = "admission-funds-overview"
    label = gettext_lazy("经费到位情况")
    permission = "admission.view"
    back_url_name = "admission:funds_overview"
    columns = (
        Column(gettext_lazy("区域"), "name", 20),
        Column(gettext_lazy("承接事项（项次）"), "figures.carried", 14),
        Column(gettext_lazy("经费未到位"), "figures.unfunded", 12),
    )

    def rows(self, request):
        area, _year, lines, _total = funds_overview_rows(request)
        own = gettext("%(name)s（本级）") % {"name": area.name}
        return [{"name": child.name if child else own, "figures": figures} for child, figures in lines]
