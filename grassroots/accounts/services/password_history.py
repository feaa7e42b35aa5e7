"""Password history (MLPS 8.1.4.1 a, docs/accounts.md "Password history"): every new password's hash is
remembered (`User.save`, whatever path set it), the last `PASSWORD_HISTORY_COUNT` are kept, and the
validator (accounts/validators.py) refuses a new password equal to any of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password


def keep() -> int:
    return max(0, int(getattr(settings, "PASSWORD_HISTORY_COUNT", 5)))


def remember(user) -> None:
    """Store the account's current password hash and drop what is older than the last `keep()`."""
    from grassroots.accounts.models import UsedPassword

    count = keep()
    if not count or not user.password:
        return
    UsedPassword.objects.create(user=user, password=user.password)
    old = UsedPassword.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)
    stale = list(old[count:])
    if stale:
        UsedPassword.objects.filter(pk__in=stale).delete()


def used_before(user, password: str) -> bool:
    """Is `password` the account's current one or one of its last `keep()`?"""
    from grassroots.accounts.models import UsedPassword

    count = keep()
    if not count or user is None or user.pk is None:
        return False
    hashes = list(
        UsedPassword.objects.filter(user_id=user.pk)
        .order_by("-created_at", "-pk")
        .values_list("password", flat=True)[:count]
    )
    if user.password and user.password not in hashes:
        hashes.insert(0, user.password)
    return any(check_password(password, encoded) for encoded in hashes[:count] if encoded)
