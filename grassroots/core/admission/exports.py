"""xlsx export of the funds ledger (随事经费台账), the rows the ledger page lists with its filters, written
with `SafeWorkbook`: text a spreadsheet would take for a formula (a document number starting with "=") stays
text. The ledger names no person (who allotted, paid or confirmed is on the record's own page), so nothing
is masked, as on the page.

Also the 导出 Excel of 社区事务准入申请 (grassroots.imports.lists): the list's rows for its tab, one function
of the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.admission import selectors
from grassroots.core.admission.filters import RequestFilter
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.imports.xlsx import SafeWorkbook, header_cells, temporary_file


def funds_ledger_workbook(rows):
    """(an open temporary file at its start, the number of rows) for the FundsTransfer queryset `rows`
    (area and affair selected)."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet(_("随事经费台账"))
    labels = [
        _("年度"),
        _("社区"),
        _("准入事项"),
        _("拨付部门"),
        _("金额（元）"),
        _("状态"),
        _("下达日期"),
        _("下达文号"),
        _("拨付日期"),
        _("拨付凭证号"),
        _("到账日期"),
    ]
    ws.append(header_cells(ws, labels))
    count = 0
    for entry in rows.iterator(chunk_size=500):
        ws.append(
            [
                entry.year,
                entry.area.name,
                entry.affair.name,
                entry.department,
                entry.amount,
                entry.get_state_display(),
                entry.allotted_on,
                entry.allot_document,
                entry.transferred_on,
                entry.transfer_document,
                entry.received_on,
            ]
        )
        count += 1
    handle = temporary_file()
    wb.save(handle)
    handle.seek(0)
    return handle, count


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
