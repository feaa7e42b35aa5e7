"""xlsx export of the grid cadre scores (网格干部考察得分), written with the imports part's `SafeWorkbook`:
text a spreadsheet would take for a formula (a name starting with "=") stays text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.imports.xlsx import SafeWorkbook, header_cells, temporary_file


def cadre_scores_workbook(rows, *, year: int):
    """(an open temporary file at its start, the number of rows) for the CadreScore queryset `rows`."""
    wb = SafeWorkbook(write_only=True)
    ws = wb.create_sheet(_("网格干部考察得分"))
    labels = [
        _("年度"),
        _("街道（乡镇）"),
        _("姓名"),
        _("服务网格"),
        _("网格任务数"),
        _("已完成"),
        _("按期完成"),
        _("任务得分率（%）"),
        _("居民评价（星）"),
        _("评价人数"),
        _("考察得分"),
        _("街道内排名"),
        _("参与排名人数"),
    ]
    ws.append(header_cells(ws, labels))
    count = 0
    for row in rows.iterator(chunk_size=500):  # the grids prefetched per chunk
        ws.append(
            [
                year,
                row.street.name,
                row.person.display_name,
                "、".join(grid.name for grid in row.grids.all()),
                row.tasks_total,
                row.tasks_approved,
                row.tasks_on_time,
                row.task_percent,
                row.rating,
                row.ratings,
                row.score,
                row.rank_in_peers,
                row.peers,
            ]
        )
        count += 1
    handle = temporary_file()
    wb.save(handle)
    handle.seek(0)
    return handle, count
