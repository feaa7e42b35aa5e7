"""API tokens: issue (at `POST /api/auth/token/`), list and revoke (the user's own page, admins on the user's
page, and `DELETE /api/auth/token/`); the REST framework checks them in accounts/authentication.py. Keys are
random (256 bits), stored as a SHA-256 digest, valid for API_TOKEN_LIFETIME_DAYS; a password change or a
disabled account deletes them all (User.save)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)
MANAGE_PERMISSION = "accounts.change"  # at most one write per token and minute


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


@transaction.atomic
def issue_token(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the key (shown once; only its digest is kept). Expired
    tokens of the user are removed on the way."""
    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        digest=digest(key),
        prefix=key[:8],
        name=name[:100],
        created_at=now,
        expires_at=now + lifetime(),
    )
    return token, key


def live_tokens(user):
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at", "-pk")


def revoke_token(*, token: ApiToken) -> None:
    token.delete()


def revoke_all(*, user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


def may_manage_tokens_of(viewer, user) -> bool:
    """One's own tokens, and those of users inside one's "accounts.change" scope."""
    from grassroots.accounts.services.grants import users_in_scope

    return viewer.pk == user.pk or users_in_scope(viewer, MANAGE_PERMISSION).filter(pk=user.pk).exists()
