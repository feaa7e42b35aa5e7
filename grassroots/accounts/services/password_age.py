"""Periodic password change for the console (MLPS 8.1.4.1 asks passwords to be changed regularly): an
official, auditor or system admin whose password is older than PASSWORD_MAX_AGE_DAYS (0: never) reaches
only the password change page (middleware.PasswordExpiryMiddleware) and gets the API's 403
`password_expired` (permissions.PasswordCurrent) until they change it. Residents and members without a
console role are not asked (their accounts hold only their own data)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def password_expired(user) -> bool:
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if not days or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_official or user.is_staff or user.is_superuser):
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > dt.timedelta(days=days)
