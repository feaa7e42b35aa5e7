"""The 导出 Excel of an area's 年度任务清单, of 任务完成情况 and of 我的任务 (grassroots.imports.lists): the
list's tasks with their progress, one function of the request for the page and the export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.core.duties import selectors
from grassroots.core.duties.filters import DutyAssignmentFilter, DutyTaskFilter
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


def worklist_rows(request):
    """(tab, FilterSet of 待我办理, assignments to check) of 我的任务: ?tab=check for what I must check,
    else what I must do (?state= narrowing it)."""
    tab = "check" if request.GET.get("tab") == "check" else "todo"
    rows = selectors.assignment_rows(request.user)
    mine = request.GET.copy()
    mine["mine"] = "todo"
    return (
        tab,
        DutyAssignmentFilter(mine, queryset=rows, request=request),
        selectors.to_check_for(request.user),
    )


@register_list_export
class WorklistExport(ListExport):
    kind = "duties-worklist"
    label = _("我的任务")
    permission = "duties.view"
    back_url_name = "duties:worklist"
    columns = (
        Column(_("任务"), "task.title", 40),
        Column(_("状态"), "get_state_display", 10),
        Column(_("逾期"), "overdue", 8),
        Column(_("完成时限"), "task.deadline", 12),
        Column(_("下达区域"), "task.area.name", 16),
        Column(_("承办区域"), "area.name", 16),
        Column(_("责任部门"), "office.name", 16),
        Column(_("提交时间"), "submitted_at", 18),
    )

    def rows(self, request):
        tab, todo, check = worklist_rows(request)
        return todo.qs if tab == "todo" else check


# The offices are the street's and the levels above's (their menu entries name this permission).
OFFICES = "duties.offices"


def _offices_area(request):
    if not has_perm(request.user, OFFICES):
        raise PermissionDenied
    return area_from_request(request, OFFICES, required=True)


def office_rows(request):
    """(area, offices) of 科室: the live offices of ?area= (the working area by default; 404 outside the
    scope) — the street's 党建办, 服务办, 综治办 and others."""
    area = _offices_area(request)
    return area, selectors.offices_of(area)


def _staff(members) -> str:
    return "、".join(f"{m.user.display_name}（{m.get_post_display()}）" for m in members)


@register_list_export
class OfficeExport(ListExport):
    kind = "duties-offices"
    label = _("科室")
    permission = OFFICES
    back_url_name = "duties:offices"
    columns = (
        Column(_("科室"), "name", 16),
        Column(_("类型"), "get_kind_display", 10),
        Column(_("科室人员"), lambda office: _staff(office.members.all()), 40),
    )

    def rows(self, request):
        return office_rows(request)[1].prefetch_related("members__user")


def workload_rows(request):
    """(area, year, loads) of 三办工作量: each live office of ?area= with its staff, the received work it
    handles and the tasks it leads in ?year= (this year by default), then the received work of no office."""
    area = _offices_area(request)
    year = year_param(request)
    return area, year, selectors.office_workloads(area, year=year)


def _office_name(load) -> str:
    return load.office.name if load.office else gettext("未指定科室")


def _figure(part: str, *keys: str):
    """A figure of the load's received or issued work (the latter only for an office: the work of no office
    leads nothing)."""

    def value(load):
        if part == "issued" and load.office is None:
            return ""
        return sum(getattr(load, part).get(key, 0) for key in keys)

    return value


@register_list_export
class WorkloadExport(ListExport):
    kind = "duties-office-workload"
    label = _("三办工作量")
    permission = OFFICES
    back_url_name = "duties:office_workload"
    columns = (
        Column(_("科室"), _office_name, 16),
        Column(_("类型"), lambda load: load.office.get_kind_display() if load.office else "", 10),
        Column(_("承办办理中"), _figure("received", "open", "submitted"), 12),
        Column(_("承办逾期"), _figure("received", "overdue"), 10),
        Column(_("承办已完成"), _figure("received", "approved"), 12),
        Column(_("牵头下发任务"), lambda load: load.tasks if load.office else "", 12),
        Column(_("下级办理中"), _figure("issued", "open", "submitted"), 12),
        Column(_("下级逾期"), _figure("issued", "overdue"), 10),
        Column(_("下级已完成"), _figure("issued", "approved"), 12),
        Column(_("科室人员"), lambda load: _staff(load.members), 40),
    )

    def rows(self, request):
        return workload_rows(request)[2]
