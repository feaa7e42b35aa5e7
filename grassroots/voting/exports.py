"""The 导出 Excel of 投票 (grassroots.imports.lists): the votes the list shows (voting.selectors
.visible_votes, the one scoping function behind it), through one function of the request for the page and
the export. For those who run votes (voting.manage); the file holds what the list shows — no ballot, no
voter."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.voting import selectors


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
