"""xlsx export of the funds ledger (随事经费台账), the rows the ledger page lists with its filters, written
with `SafeWorkbook`: text a spreadsheet would take for a formula (a document number starting with "=") stays
text. The ledger names no person (who allotted, paid or confirmed is on the record's own page), so nothing
is masked, as on the page."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
