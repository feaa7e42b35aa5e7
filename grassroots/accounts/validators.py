"""The platform's own password validators (settings AUTH_PASSWORD_VALIDATORS, next to Django's)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class PasswordHistoryValidator:
    """A new password may not be the current one or one of the last `PASSWORD_HISTORY_COUNT`
    (services/password_history.py)."""

    def validate(self, password, user=None):
        from grassroots.accounts.services.password_history import keep, used_before

        if used_before(user, password):
            count = keep()
            raise ValidationError(
                ngettext(
                    "不能使用最近 %(count)d 次用过的密码，请换一个新密码。",
                    "不能使用最近 %(count)d 次用过的密码，请换一个新密码。",
                    count,
                )
                % {"count": count},
                code="password_reused",
            )

    def get_help_text(self):
        from grassroots.accounts.services.password_history import keep

        return _("不能与最近 %(count)d 次用过的密码相同。") % {"count": keep()}
