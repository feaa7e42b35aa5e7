"""The 导出 Excel of 居民意见 and of the matters (民生事项看板) (grassroots.imports.lists): each list's rows
for its filters, one function of the request for the page and the export. Who wrote an opinion is not on
the list, nor in the file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm, roles_of, scoped
from grassroots.accounts.roles import PUBLIC
from grassroots.areas.subtree import under_q
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.selfgov import selectors, selectors_execution
from grassroots.selfgov.models import Matter, OpinionState


def opinion_rows(request):
    """(state, rows) of the opinions list: ?state= (submitted by default, empty for all) and ?mine=1."""
    queryset = selectors.visible_opinions(request.user).select_related("area", "matter")
    state = request.GET.get("state", OpinionState.SUBMITTED)
    if state in OpinionState.values:
        queryset = queryset.filter(state=state)
    if request.GET.get("mine"):
        queryset = queryset.filter(author=request.user)
    return state, queryset.order_by("-support_count", "-created_at", "-pk")


@register_list_export
class OpinionExport(ListExport):
    kind = "selfgov-opinions"
    label = _("居民意见")
    permission = "selfgov.view"
    back_url_name = "selfgov:opinion_list"
    columns = (
        Column(_("状态"), "state_label", 12),
        Column(_("类别"), "get_category_display", 12),
        Column(_("意见内容"), "text", 60),
        Column(_("院落或地点"), "area.name", 16),
        Column(_("具体位置"), "place", 20),
        Column(_("附议人数"), "support_count", 10),
        Column(_("已达附议门槛"), lambda o: o.threshold_reached_at is not None, 10),
        Column(_("提交时间"), "created_at", 18),
        Column(_("转为议事事项"), "matter.title", 30),
    )

    def rows(self, request):
        return opinion_rows(request)[1]


def matter_rows(request):
    """(area or None, matters) of the workers' board (民生事项看板): the matters of their scope, ?area= (404
    outside it), by how long they have waited in their step, each with `progress_percent`. Workers only: a
    resident sees the matters on 自治's home, not the board (PermissionDenied)."""
    if not has_perm(request.user, "selfgov.view") or not roles_of(request.user) - PUBLIC:
        raise PermissionDenied
    area = area_from_request(request, "selfgov.view")
    queryset = selectors_execution.with_progress(
        scoped(Matter.objects.all(), request.user, "selfgov.view").select_related("area", "community")
    )
    if area is not None:
        queryset = queryset.filter(under_q(area.path, "area__path"))
    return area, queryset.order_by("step_since", "pk")


@register_list_export
class MatterExport(ListExport):
    kind = "selfgov-matters"
    label = _("民生事项")
    permission = "selfgov.view"
    back_url_name = "selfgov:board"
    columns = (
        Column(_("事项名称"), "title", 40),
        Column(_("类别"), "get_category_display", 12),
        Column(_("社区"), "community.name", 16),
        Column(_("涉及范围"), "area.name", 16),
        Column(_("步骤"), "state_label", 12),
        Column(_("进入本步骤时间"), "step_since", 18),
        Column(_("本步骤已等待（天）"), lambda m: (timezone.now() - m.step_since).days, 12),
        Column(_("执行进度（%）"), "progress_percent", 12),
        Column(_("创建时间"), "created_at", 18),
    )

    def rows(self, request):
        return matter_rows(request)[1]
