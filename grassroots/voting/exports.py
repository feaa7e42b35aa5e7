"""The 导出 Excel of 投票, of 住户, of 居民代表 and of their 推选记录 (grassroots.imports.lists): the votes
the list shows (voting.selectors.visible_votes, the one scoping function behind it), through one function of
the request for the page and the export. For those who run votes (voting.manage); the file holds what the
list shows — no ballot, no voter. The households' file names each household's members as the page does
(display names)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.voting import selectors
from grassroots.voting.models import Household, HouseholdMember, Representative, RepresentativeElection


def vote_rows(request):
    return selectors.visible_votes(request.user).select_related("area")


@register_list_export
class VoteExport(ListExport):
    kind = "voting-votes"
    label = _("投票")
    permission = "voting.manage"
    back_url_name = "voting:list"
    columns = (
        Column(_("投票事项"), "title", 36),
        Column(_("状态"), "get_status_display", 10),
        Column(_("无记名投票"), "secret", 10),
        Column(_("投票人范围"), "get_electorate_display", 14),
        Column(_("开始时间"), "opens_at", 18),
        Column(_("截止时间"), "closes_at", 18),
        Column(_("区域"), "area.name", 16),
    )

    def rows(self, request):
        return vote_rows(request)


def household_rows(request):
    """The households of the user's areas (voting.manage), ?q= a part of the household's name."""
    rows = scoped(Household.objects.select_related("area"), request.user, "voting.manage").prefetch_related(
        Prefetch(
            "members", queryset=HouseholdMember.objects.select_related("user").order_by("user__full_name")
        )
    )
    q = (request.GET.get("q") or "").strip()[:50]
    return rows.filter(name__icontains=q) if q else rows


@register_list_export
class HouseholdExport(ListExport):
    kind = "voting-households"
    label = _("住户")
    permission = "voting.manage"
    back_url_name = "voting:households"
    columns = (
        Column(_("户名"), "name", 24),
        Column(_("区域"), "area.name", 16),
        Column(_("成员"), lambda h: [m.user.display_name for m in h.members.all()], 40),
    )

    def rows(self, request):
        return household_rows(request)


def representative_rows(request):
    """The resident representatives of the user's communities (voting.manage), the standing ones first."""
    return scoped(
        Representative.objects.select_related("community", "user__home_area"), request.user, "voting.manage"
    ).order_by("until", "community__path", "user__full_name")


@register_list_export
class RepresentativeExport(ListExport):
    kind = "voting-representatives"
    label = _("居民代表")
    permission = "voting.manage"
    back_url_name = "voting:representatives"
    columns = (
        Column(_("居民"), "user.display_name", 16),
        Column(_("社区"), "community.name", 16),
        Column(_("推选日期"), "since", 12),
        Column(_("卸任日期"), lambda r: r.until or _("在任"), 12),  # as the page shows it
    )

    def rows(self, request):
        return representative_rows(request)


def election_rows(request):
    """The communities' election records (voting.manage), by community, the latest first."""
    return scoped(
        RepresentativeElection.objects.select_related("community", "vote", "gathering"),
        request.user,
        "voting.manage",
    ).order_by("community__path", "-held_on", "-pk")


@register_list_export
class ElectionExport(ListExport):
    kind = "voting-elections"
    label = _("居民代表推选记录")
    permission = "voting.manage"
    back_url_name = "voting:elections"
    columns = (
        Column(_("社区"), "community.name", 16),
        Column(_("推选日期"), "held_on", 12),
        Column(_("任期届满日期"), "term_ends_on", 12),
        Column(_("投票"), "vote.title", 30),
        Column(_("会议"), "gathering.title", 30),
        Column(_("文件"), "document_name", 24),
    )

    def rows(self, request):
        return election_rows(request)
