"""The 导出 Excel of 居民意见, of the matters (民生事项看板), of 社区四项制度, of 院落居民公约, of 矛盾协商
and of 随手拍统计 (grassroots.imports.lists): each list's rows for its filters, one function of the request
for the page and the export. Who wrote an opinion is not on the list, nor in the file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import area_from_request, has_perm, roles_of, scope_paths, scoped
from grassroots.accounts.roles import PUBLIC
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.imports.lists import CHUNK, Column, ListExport, PerChunk, register_list_export
from grassroots.pages import year_param
from grassroots.selfgov import selectors, selectors_execution, selectors_negotiations, selectors_reports
from grassroots.selfgov import selectors_rulebooks as rules
from grassroots.selfgov.filters import OpinionFilter
from grassroots.selfgov.models import (
    Category,
    CommunitySetting,
    Matter,
    OpinionState,
    RulebookKind,
    Supervisor,
)
from grassroots.selfgov.models_negotiations import NegotiationState


def opinion_rows(request):
    """(state, filterset, rows) of the opinions list: ?state= (submitted by default, empty for all), ?mine=1
    and `OpinionFilter`'s ?channel= (as /api/opinions/; an unknown channel is an error on the filter's field,
    the rows not cut by it)."""
    queryset = selectors.visible_opinions(request.user).select_related("area", "matter")
    state = request.GET.get("state", OpinionState.SUBMITTED)
    if state in OpinionState.values:
        queryset = queryset.filter(state=state)
    if request.GET.get("mine"):
        queryset = queryset.filter(author=request.user)
    filterset = OpinionFilter(request.GET or None, queryset=queryset, request=request)
    return state, filterset, filterset.qs.order_by("-support_count", "-created_at", "-pk")


@register_list_export
class OpinionExport(ListExport):
    kind = "selfgov-opinions"
    label = _("居民意见")
    permission = "selfgov.view"
    back_url_name = "selfgov:opinion_list"
    columns = (
        Column(_("状态"), "state_label", 12),
        Column(_("类别"), "get_category_display", 12),
        Column(_("来源"), "get_channel_display", 14),
        Column(_("意见内容"), "text", 60),
        Column(_("院落或地点"), "area.name", 16),
        Column(_("具体位置"), "place", 20),
        Column(_("附议人数"), "support_count", 10),
        Column(_("已达附议门槛"), lambda o: o.threshold_reached_at is not None, 10),
        Column(_("提交时间"), "created_at", 18),
        Column(_("转为议事事项"), "matter.title", 30),
    )

    def rows(self, request):
        return opinion_rows(request)[2]


def works(user) -> bool:
    """A worker of 自治 (selfgov.view and a role beyond the public's): the workers' lists are theirs; a
    resident sees their own community's four systems, courtyard's convention, matters elsewhere."""
    return has_perm(user, "selfgov.view") and bool(roles_of(user) - PUBLIC)


def matter_rows(request):
    """(area or None, matters) of the workers' board (民生事项看板): the matters of their scope, ?area= (404
    outside it), by how long they have waited in their step, each with `progress_percent`. Workers only: a
    resident sees the matters on 自治's home, not the board (PermissionDenied)."""
    if not works(request.user):
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


def _live_areas(request, level):
    """(area or None, the live areas of `level` in the worker's scope, ?area= narrowing them: 404 outside
    it). Workers only (PermissionDenied): the residents' pages show their own."""
    if not works(request.user):
        raise PermissionDenied
    area = area_from_request(request, "selfgov.view")
    queryset = scoped(Area.objects.filter(level=level, retired=False), request.user, "selfgov.view", "path")
    if area is not None:
        queryset = queryset.filter(under_q(area.path, "path"))
    return area, queryset.order_by("path")


def rulebook_rows(request):
    """(area or None, communities) of 社区四项制度 for the workers."""
    return _live_areas(request, Level.COMMUNITY)


class FourSystems:
    """The communities with their four systems (rules.four_systems), read per chunk: three queries a chunk."""

    def __init__(self, communities, user):
        self.communities, self.user = communities, user

    def __len__(self) -> int:
        return self.communities.count()

    def __iter__(self):
        chunk = []
        for community in self.communities.iterator(chunk_size=CHUNK):
            chunk.append(community)
            if len(chunk) == CHUNK:
                yield from rules.four_systems(self.user, chunk)
                chunk = []
        if chunk:
            yield from rules.four_systems(self.user, chunk)


def _slot(index):
    def value(row):
        rulebook = row.slots[index][2]
        if rulebook is None:
            return _("缺失")
        if not rulebook.document.current:
            return _("草稿，未发布")
        version = rulebook.document.current[0]
        adopted = timezone.localtime(version.adopted_at).date() if version.adopted_at else ""
        return _("第 %(n)s 版 · %(when)s") % {"n": version.number, "when": adopted}

    return value


@register_list_export
class RulebookExport(ListExport):
    kind = "selfgov-rulebooks"
    label = _("社区四项制度")
    permission = "selfgov.view"
    back_url_name = "selfgov:rulebooks"
    columns = (
        Column(_("社区"), "community.name", 20),
        *(Column(label, _slot(index), 18) for index, (_kind, label) in enumerate(RulebookKind.choices)),
        Column(_("齐全"), "complete", 8),
    )

    def rows(self, request):
        return FourSystems(rulebook_rows(request)[1], request.user)


def convention_rows(request):
    """(area or None, courtyards with their convention) of 院落居民公约 for the workers."""
    area, courtyards = _live_areas(request, Level.COURTYARD)
    return area, courtyards.select_related("convention__document")


def _convention(courtyard):
    return getattr(courtyard, "convention", None)


def _convention_state(courtyard):
    convention = _convention(courtyard)
    return convention.get_state_display() if convention is not None else _("缺失")


@register_list_export
class ConventionExport(ListExport):
    kind = "selfgov-conventions"
    label = _("院落居民公约")
    permission = "selfgov.view"
    back_url_name = "selfgov:conventions"
    columns = (
        Column(_("院落"), "name", 20),
        Column(_("公约"), lambda c: _convention(c) and _convention(c).document.title, 30),
        Column(_("状态"), _convention_state, 12),
        Column(_("生效时间"), lambda c: _convention(c) and _convention(c).in_force_since, 18),
    )

    def rows(self, request):
        return convention_rows(request)[1]


def negotiation_rows(request):
    """(area or None, state, rows) of 矛盾协商: the negotiations the user may see, ?area= narrowing them to a
    subtree (the working area by default; a unit's representative holds no area: their unit's), ?state=;
    newest first."""
    view = selectors_negotiations.VIEW
    area = area_from_request(request, view, required=bool(scope_paths(request.user, view)))
    rows = selectors_negotiations.visible_negotiations(request.user).select_related(
        "area", "party_org", "matter"
    )
    if area is not None:
        rows = rows.filter(under_q(area.path, "area__path"))
    state = request.GET.get("state", "")
    if state in NegotiationState.values:
        rows = rows.filter(state=state)
    return area, state, rows.order_by("-created_at", "-pk")


@register_list_export
class NegotiationExport(ListExport):
    kind = "selfgov-negotiations"
    label = _("矛盾协商")
    permission = selectors_negotiations.VIEW
    back_url_name = "selfgov:negotiations"
    columns = (
        Column(_("协商事项"), "subject", 30),
        Column(_("状态"), "state_label", 10),
        Column(_("区域"), "area.name", 16),
        Column(_("牵头党组织"), "party_org.name", 24),
        Column(_("发起日期"), lambda n: timezone.localdate(n.created_at), 12),
        Column(_("来自事项"), "matter.title", 24),
    )

    def rows(self, request):
        return negotiation_rows(request)[2]


def quick_report_rows(request):
    """(area, year, table) of 随手拍统计 for the workers (PermissionDenied otherwise): the quick reports under
    ?area= (the working area by default) per child area, by category and by state, ranked (selectors_reports,
    the one roll-up); ?year= (this year by default; 0 = all years)."""
    if not selectors_reports.may_read(request.user):
        raise PermissionDenied
    area = area_from_request(request, selectors_reports.VIEW, required=True)
    year = 0 if request.GET.get("year") == "0" else year_param(request)
    return area, year, selectors_reports.quick_report_table(area, year or None)


def _report_line(label, by_category, by_state, total) -> dict:
    return {
        "area": label,
        **{f"category_{value}": n for value, n in zip(Category.values, by_category, strict=True)},
        **{f"state_{value}": n for value, n in zip(OpinionState.values, by_state, strict=True)},
        "total": total,
    }


@register_list_export
class QuickReportExport(ListExport):
    kind = "selfgov-quick-reports"
    label = _("随手拍统计")
    permission = selectors_reports.VIEW
    back_url_name = "selfgov:quick_reports"
    columns = (
        Column(_("区域"), "area", 20),
        *(Column(label, f"category_{value}", 10) for value, label in Category.choices),
        *(Column(label, f"state_{value}", 10) for value, label in OpinionState.choices),
        Column(_("合计"), "total", 10),
    )

    def rows(self, request):
        table = quick_report_rows(request)[2]
        lines = [
            _report_line(child.name if child else _("本级"), by_category, by_state, total)
            for child, by_category, by_state, total in table["rows"]
        ]
        return [*lines, _report_line(_("合计"), *table["total"])]


# --- the supervision committees and the communities' settings (selfgov.manage) ------------------------
MANAGE = "selfgov.manage"


def managed_communities(request):
    """The live communities the user keeps (selfgov.manage; PermissionDenied without it), `?area=` narrowing
    them (404 outside the scope), in tree order: the rows of 居务监督委员会 and of 社区自治参数."""
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    communities = scoped(
        Area.objects.filter(level=Level.COMMUNITY, retired=False), request.user, MANAGE, "path"
    )
    area = area_from_request(request, MANAGE)
    if area is not None:
        communities = communities.filter(under_q(area.path, "path"))
    return communities.order_by("path")


def with_settings(communities) -> list:
    """The communities with `setting`, their numbers (CommunitySetting; None: the defaults) in one query."""
    communities = list(communities)
    rows = {r.area_id: r for r in CommunitySetting.objects.filter(area__in=communities)}
    for community in communities:
        community.setting = rows.get(community.pk)
    return communities


def with_seats(communities) -> list:
    """The communities with `seats`, the members of their supervision committee, in one query."""
    communities = list(communities)
    seats = {c.pk: [] for c in communities}
    for seat in Supervisor.objects.filter(community__in=communities).select_related("user").order_by("pk"):
        seats[seat.community_id].append(seat)
    for community in communities:
        community.seats = seats[community.pk]
    return communities


def _setting(name: str):
    def value(community):
        return getattr(community.setting, name) if community.setting else selectors.DEFAULTS[name]

    return value


@register_list_export
class SettingsExport(ListExport):
    kind = "selfgov-settings"
    label = _("社区自治参数")
    permission = MANAGE
    back_url_name = "selfgov:settings"
    columns = (
        Column(_("社区"), "name", 20),
        Column(_("附议门槛（%）"), _setting("support_percent"), 12),
        Column(_("听证提前公告（天）"), _setting("hearing_notice_days"), 14),
        Column(_("意见征集期（天）"), _setting("collection_days"), 14),
        Column(_("公开评议期（天）"), _setting("evaluation_days"), 14),
        Column(_("满意率门槛（%）"), _setting("satisfaction_percent"), 12),
        Column(_("默认"), lambda community: community.setting is None, 8),
    )

    def rows(self, request):
        return PerChunk(managed_communities(request), with_settings)


def _seats(community) -> str:
    return "、".join(
        f"{seat.user.display_name}（{timezone.localtime(seat.added_at):%Y-%m-%d}）"
        for seat in community.seats
    )


@register_list_export
class SupervisorExport(ListExport):
    kind = "selfgov-supervisors"
    label = _("居务监督委员会")
    permission = MANAGE
    back_url_name = "selfgov:supervisors"
    columns = (
        Column(_("社区"), "name", 20),
        Column(_("成员数"), lambda community: len(community.seats), 10),
        Column(_("成员（加入日期）"), _seats, 60),
    )

    def rows(self, request):
        return PerChunk(managed_communities(request), with_seats)
