"""The 导出 Excel of 用户 (people in the viewer's scope, grassroots.imports.lists): the page's rows and
columns, the phone masked as the list masks it (a list never unmasks). A searched phone number stays out of
URLs and audit entries (portal/search.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.accounts.filters import UserFilter
from grassroots.accounts.pii import mask_phone
from grassroots.accounts.services.grants import prefetch_visible_grants, users_in_scope
from grassroots.imports.lists import Column, ListExport, params_of, register_list_export
from grassroots.portal.search import PRIVATE_FIELDS, search_params


def user_rows(request, params=None):
    """The people of the 用户 list for its filters (`params`: the page's, a searched number restored)."""
    viewer = request.user
    users = (
        users_in_scope(viewer).select_related("home_area").prefetch_related(prefetch_visible_grants(viewer))
    )
    filterset = UserFilter(params if params is not None else request.GET, queryset=users, request=request)
    return filterset, filterset.qs.order_by("full_name", "username", "pk")


def _grants(person) -> str:
    return "、".join(
        f"{grant.get_role_display()} · {grant.area.name}" for grant in getattr(person, "visible_grants", ())
    )


@register_list_export
class UserExport(ListExport):
    kind = "accounts-users"
    label = _("用户")
    permission = "accounts.view"
    back_url_name = "accounts:user_list"
    private_params = tuple(PRIVATE_FIELDS)
    columns = (
        Column(_("姓名"), "display_name"),
        Column(_("用户名"), "username"),
        Column(_("手机号"), lambda person: mask_phone(person.phone) if person.phone else ""),
        Column(_("居住地址"), "home_area.name", 24),
        Column(_("角色"), _grants, 40),
        Column(_("已实名核验"), "identity_verified", 10),
        Column(_("已停用"), lambda person: not person.is_active, 8),
    )

    @classmethod
    def params_from(cls, request):
        return params_of(search_params(request))

    def rows(self, request):
        return user_rows(request)[1]
