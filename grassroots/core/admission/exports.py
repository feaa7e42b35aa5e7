"""The 导出 Excel of the funds ledger (随事经费台账) and of 社区事务准入申请 (grassroots.imports.lists): each
list's rows through one function of the request for the page and the export. The ledger names no person
(who allotted, paid or confirmed is on the record's own page), so nothing is masked, as on the page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from grassroots.core.admission import selectors
from grassroots.core.admission.filters import FundsFilter, RequestFilter
from grassroots.imports.lists import Column, ListExport, register_list_export


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
