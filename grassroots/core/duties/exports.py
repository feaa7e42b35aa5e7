"""The 导出 Excel of an area's 年度任务清单 (grassroots.imports.lists): the list's tasks with their progress,
one function of the request for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request
from grassroots.core.duties import selectors
from grassroots.core.duties.filters import DutyTaskFilter
from grassroots.core.duties.models import DutyTask, TaskList
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.pages import year_param


def listed(request, area, year):
    """The list's tasks through the API's FilterSet (`/api/duty-tasks/?issuer=<area>&year=<year>`, the same
    rows in the same order): the page's area is the issuer, not a subtree; other parameters as on the API
    (`target_level`, `office`, `affair`, `draft`), one that does not validate ignored."""
    data = request.GET.copy()
    data.pop("area", None)
    data.update({"issuer": str(area.pk), "year": str(year)})
    return DutyTaskFilter(data, queryset=selectors.listed_tasks(DutyTask.objects.all()), request=request).qs


def task_rows(request):
    """(area, year, task list or None, tasks) of the 任务清单 page: ?area= (else the working area), ?year=
    (else this year)."""
    area = area_from_request(request, "duties.view", required=True)
    year = year_param(request)
    current = TaskList.objects.filter(area=area, year=year).first()
    rows = listed(request, area, year) if current else DutyTask.objects.none()
    return area, year, current, rows


def _progress(task) -> str:
    if task.is_draft:
        return str(_("草稿"))
    return f"{task.fig_approved}/{task.fig_total}"


@register_list_export
class TaskExport(ListExport):
    kind = "duties-tasks"
    label = _("任务清单")
    permission = "duties.view"
    back_url_name = "duties:task_list"
    columns = (
        Column(_("任务"), "title", 40),
        Column(_("分解自"), "parent.task.title", 30),
        Column(_("准入事项"), "affair.name", 20),
        Column(_("责任部门"), "office.name", 20),
        Column(_("下发到"), "get_target_level_display", 10),
        Column(_("完成时限"), "deadline", 12),
        Column(_("权重"), "weight", 8),
        Column(_("完成情况"), _progress, 12),
        Column(_("逾期"), "fig_overdue", 8),
    )

    def rows(self, request):
        return task_rows(request)[3]


def progress_rows(request):
    """(area, year, lines) of the 任务完成情况 page: ?area= (else the working area), ?year= (else this year);
    lines: (child area or None for the area's own, figures), one aggregate (selectors.figures_by_child)."""
    area = area_from_request(request, "duties.view", required=True)
    year = year_param(request)
    return area, year, selectors.figures_by_child(area, year)


def _rate(key: str):
    def value(line) -> float | str:
        rate = line["figures"][key]
        return "—" if rate is None else round(rate * 100, 1)

    return value


@register_list_export
class ProgressExport(ListExport):
    kind = "duties-progress"
    label = _("任务完成情况")
    permission = "duties.view"
    back_url_name = "duties:progress"
    columns = (
        Column(_("区域"), "name", 20),
        Column(_("承办单位数"), "figures.total", 10),
        Column(_("已完成"), "figures.approved", 10),
        Column(_("完成率（%）"), _rate("completion_rate"), 12),
        Column(_("按时完成率（%）"), _rate("on_time_rate"), 14),
        Column(_("待审核"), "figures.submitted", 10),
        Column(_("逾期"), "figures.overdue", 8),
    )

    def rows(self, request):
        area, _year, lines = progress_rows(request)
        own = gettext("%(area)s（本级）") % {"area": area.name}
        return [{"name": child.name if child else own, "figures": figures} for child, figures in lines]
