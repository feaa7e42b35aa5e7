"""The 导出 Excel of 个人信息申请 (grassroots.imports.lists), for the officials who handle the requests: the
list's rows for its tab (?state=, submitted by default), one function of the request for the page and the
export. The requester is named as the page names them (display name); no number is on the list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import has_perm, scoped
from grassroots.imports.lists import Column, ListExport, register_list_export
from grassroots.privacy.models import PERMISSION, DataRequest, RequestState


def request_rows(request):
    """(state, rows) of the requests list: ?state= (submitted by default), first submitted first."""
    if not has_perm(request.user, PERMISSION):
        raise PermissionDenied
    state = request.GET.get("state", RequestState.SUBMITTED)
    queryset = scoped(DataRequest.objects.select_related("user", "area"), request.user, PERMISSION)
    if state in RequestState.values:
        queryset = queryset.filter(state=state)
    return state, queryset.order_by("submitted_at", "pk")


@register_list_export
class RequestExport(ListExport):
    kind = "privacy-requests"
    label = _("个人信息申请")
    permission = PERMISSION
    back_url_name = "privacy:requests"
    columns = (
        Column(_("申请"), str, 30),
        Column(_("申请人"), "user.display_name", 12),
        Column(_("区域"), "area.name", 16),
        Column(_("提交时间"), "submitted_at", 18),
        Column(_("状态"), "state_label", 10),
    )

    def rows(self, request):
        return request_rows(request)[1]
