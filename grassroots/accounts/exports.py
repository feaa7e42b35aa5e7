"""The 导出 Excel of 用户 (people in the viewer's scope, grassroots.imports.lists) and of the 实名核验 queue:
the page's rows and columns, the phone masked as the list masks it (a list never unmasks). A searched phone
number stays out of URLs and audit entries (portal/search.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.accounts.filters import UserFilter, VerificationFilter
from grassroots.accounts.models import ResidentVerification, VerificationState
from grassroots.accounts.pii import mask_phone
from grassroots.accounts.selectors import VERIFY, pending_verifications
from grassroots.accounts.services import lockouts
from grassroots.accounts.services.grants import prefetch_visible_grants, users_in_scope
from grassroots.accounts.services.verification import address_label, ancestors_of
from grassroots.imports.lists import Column, ListExport, PerChunk, params_of, register_list_export
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


def verification_rows(request):
    """(state, requests) of the 实名核验 queue in the verifier's scope: pending ones oldest first (the queue
    opens on them, and falls back to them), or ?state=verified|rejected, latest decisions first."""
    data = request.GET.copy()
    if data.get("state") not in VerificationState.values:
        data["state"] = VerificationState.PENDING
    state = data["state"]
    if state == VerificationState.PENDING:
        requests = pending_verifications(request.user)  # the one definition, also the home page's count
    else:
        requests = scoped(ResidentVerification.objects.all(), request.user, VERIFY)
    requests = requests.select_related("area", "decided_by")
    requests = VerificationFilter(data, queryset=requests, request=request).qs  # as /api/verifications/
    if state == VerificationState.PENDING:
        return state, requests.order_by("submitted_at", "pk")
    return state, requests.order_by("-decided_at", "-pk")


def with_addresses(requests) -> list:
    """The requests with `address` (from the community down; the ancestors in one query) and
    `masked_phone`, as the queue shows them."""
    rows = list(requests)
    ancestors = ancestors_of([r.area for r in rows])
    for row in rows:
        row.address = address_label(row.area, ancestors)
        row.masked_phone = mask_phone(row.phone)
    return rows


@register_list_export
class VerificationExport(ListExport):
    kind = "accounts-verifications"
    label = _("实名核验")
    permission = VERIFY
    back_url_name = "accounts:verification_queue"
    columns = (
        Column(_("提交时间"), "submitted_at", 18),
        Column(_("姓名"), "full_name", 12),
        Column(_("手机号"), "masked_phone", 14),  # masked as the queue shows it
        Column(_("居住地址"), "address", 30),
        Column(_("状态"), "get_state_display", 10),
        Column(_("核验人"), "decided_by.display_name", 12),
    )

    def rows(self, request):
        return PerChunk(verification_rows(request)[1], with_addresses)


def lockout_rows(request):
    """The sign-in locks of 登录锁定 the system admin may lift (PermissionDenied for anyone else, as the
    page): the accounts of their scope, and the addresses for an admin of a whole city (services/lockouts)."""
    if not lockouts.can_unlock(request.user):
        raise PermissionDenied
    return lockouts.visible_lockouts(request.user)


def _locked(lock) -> str:
    """What is locked, as the page names it."""
    if lock.kind == "ip":
        return lock.value
    if lock.user is None:
        return f"{lock.value}{gettext('（不存在的用户名）')}"
    return f"{lock.user.display_name} ({lock.value})"


@register_list_export
class LockoutExport(ListExport):
    kind = "accounts-lockouts"
    label = _("登录锁定")
    permission = lockouts.UNLOCK_PERMISSION  # and the system admin's role, checked by lockout_rows
    back_url_name = "accounts:lockouts"
    columns = (
        Column(_("类型"), lambda lock: gettext("网络地址") if lock.kind == "ip" else gettext("账号"), 10),
        Column(_("锁定对象"), _locked, 30),
        Column(_("失败次数"), "failures", 10),
        Column(_("最近一次"), "last_attempt", 18),
    )

    def rows(self, request):
        return lockout_rows(request)
