"""Lockouts that grow: the n-th lockout of one account (or one address) within LOGIN_LOCKOUT_MEMORY_HOURS
lasts AXES_COOLOFF_TIME × 2^(n−1), at most LOGIN_LOCKOUT_MAX_MINUTES (15, 30, 60 … minutes by default).

django-axes counts the failures; it knows one cool-off for everybody. `GrowingLockoutHandler` (settings
AXES_HANDLER) is axes' database handler with the cool-off taken per account and per address: axes' failure
log (AXES_ENABLE_ACCESS_FAILURE_LOG) marks the failure that started each lockout (`locked_out`), and those
marks within the memory window are the strikes. Failures while locked are not recorded
(AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so one lockout is one strike. Lifting a lock on the
lockouts page forgets the strikes too (services/lockouts.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.utils import timezone

KEYS = ("username", "ip_address")  # settings.AXES_LOCKOUT_PARAMETERS, each counted on its own


def memory() -> timedelta:
    return timedelta(hours=settings.LOGIN_LOCKOUT_MEMORY_HOURS)


def longest() -> timedelta:
    return max(settings.AXES_COOLOFF_TIME, timedelta(minutes=settings.LOGIN_LOCKOUT_MAX_MINUTES))


def strikes(field: str, value, now: datetime | None = None) -> int:
    """How many lockouts `field` = `value` (an account or an address) started within the memory window."""
    now = now or timezone.now()
    return AccessFailureLog.objects.filter(
        **{field: value}, locked_out=True, attempt_time__gte=now - memory()
    ).count()


def cool_off(field: str, value, now: datetime | None = None) -> timedelta:
    """How long the current (or next) lock of this account or address lasts after its last failure."""
    base = settings.AXES_COOLOFF_TIME
    if value in (None, ""):
        return base
    n = strikes(field, value, now)
    return min(base * 2 ** max(n - 1, 0), longest())


def request_cool_off(request, username: str | None) -> timedelta:
    """The lock of this sign-in: the longer of its account's and its address's."""
    ip = getattr(request, "axes_ip_address", None)
    return max(cool_off("username", username), cool_off("ip_address", ip))


def forget(*, username: str | None = None, ip: str | None = None) -> None:
    """Drop the strikes of an account or an address (an admin lifted its lock)."""
    if username:
        AccessFailureLog.objects.filter(username=username).delete()
    if ip:
        AccessFailureLog.objects.filter(ip_address=ip).delete()


class GrowingLockoutHandler(AxesDatabaseHandler):
    def _keys(self, request, credentials):
        username = get_client_username(request, credentials)
        return [(f, v) for f, v in zip(KEYS, (username, request.axes_ip_address), strict=True) if v]

    def get_user_attempts(self, request, credentials=None):
        now = request.axes_attempt_time or timezone.now()
        return [
            AccessAttempt.objects.filter(
                **{field: value}, attempt_time__gte=now - cool_off(field, value, now)
            )
            for field, value in self._keys(request, credentials)
        ]

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        count = AccessAttempt.objects.filter(attempt_time__lte=now - longest()).delete()[0]
        AccessFailureLog.objects.filter(attempt_time__lte=now - memory()).delete()
        if request is not None:  # this sign-in's own account and address, by their own cool-off
            for field, value in self._keys(request, credentials):
                stale = now - cool_off(field, value, now)
                count += AccessAttempt.objects.filter(**{field: value}, attempt_time__lt=stale).delete()[0]
        return count
