"""The API's side of the periodic password change (services/password_age.py): `PasswordCurrent`, a default
permission of every API view (settings.REST_FRAMEWORK), answers 403 `password_expired` to a console account
whose password is older than PASSWORD_MAX_AGE_DAYS, for token and session clients alike. Imports nothing of
DRF's views: DRF loads it while loading them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from grassroots.accounts.services.password_age import password_expired


class PasswordCurrent(BasePermission):
    code = "password_expired"
    message = _("密码已超过有效期，请先在网页上修改密码（账号 → 修改密码）后再使用。")

    def has_permission(self, request, view) -> bool:
        return not password_expired(request.user)
