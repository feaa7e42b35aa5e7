"""The 导出 Excel of 通知公告 (grassroots.imports.lists): the notices the list shows (portal.selectors
.notices_for_list: what the user may read, and for managers the scheduled ones they may edit), through one
function of the request for the page and the export. For those who manage notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.portal import selectors


def notice_rows(request):
    return selectors.notices_for_list(request.user)


@register_list_export
class NoticeExport(ListExport):
    kind = "portal-notices"
    label = _("通知公告")
    permission = "notices.manage"
    back_url_name = "portal:notice_list"
    columns = (
        Column(_("标题"), "title", 40),
        Column(_("发布范围"), "area.name", 16),
        Column(_("发布时间"), "published_at", 18),
        Column(_("置顶"), "pinned", 8),
    )

    def rows(self, request):
        return notice_rows(request)
