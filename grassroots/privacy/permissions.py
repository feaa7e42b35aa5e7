"""The API's side of the privacy notice (consent.py): `NoticeAgreed`, a default permission of every API view
(settings.REST_FRAMEWORK), answers 403 `notice_not_agreed` or `consent_withdrawn` to a held-back caller, for
token and session clients alike, except on the views marked `open_without_consent` (their data, their
requests, the consent endpoints). Imports nothing of DRF's views: DRF loads it while loading them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from grassroots.privacy import consent

# The API's code and message for each reason an account is held back (consent.py).
REFUSALS = {
    consent.MISSING: (
        "notice_not_agreed",
        _("请先阅读并同意最新版《个人信息处理规则》（网页登录后按提示确认，或 POST /api/me/consent/）。"),
    ),
    consent.WITHDRAWN: (
        "consent_withdrawn",
        _("您已撤回同意，只能查看本人信息和申请更正、删除；再次同意（POST /api/me/consent/）后可继续使用。"),
    ),
}
# Actions of a view marked `open_without_consent = True` open to a held-back caller (None: every action).
OPEN_ACTIONS = {"list", "retrieve", "create"}


class NoticeAgreed(BasePermission):
    """A held-back caller (consent.held_back) reaches only the views marked `open_without_consent`."""

    def has_permission(self, request, view) -> bool:
        reason = consent.held_back(request.user)
        if reason is None:
            return True
        opened = getattr(view, "open_without_consent", False)
        action = getattr(view, "action", None)
        if opened and (action is None or action in OPEN_ACTIONS):
            return True
        self.code, self.message = REFUSALS[reason]
        return False
