"""API tokens: issue (at `POST /api/auth/token/`), list and revoke (the user's own page, admins on the user's
page, and `DELETE /api/auth/token/`); the REST framework checks them in accounts/authentication.py. Keys are
random (256 bits), stored as a SHA-256 digest, valid for API_TOKEN_LIFETIME_DAYS. `credentials_changed` is the
one way a user's tokens end with their credentials: a password set or an account disabled (User.save, and
UserQuerySet.update/bulk_update for bulk writes) and a sign-out on the web (views/auth.py LogoutView)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from grassroots.accounts.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write per token and minute
MANAGE_PERMISSION = "accounts.change"
CHUNK = 500  # user ids per DELETE (SQLite limits the parameters of one statement)


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
    return credentials_changed(users=[user.pk])


def credentials_changed(*, users) -> int:
    """Delete every API token of `users` (a queryset of users or a list of their ids): their password was
    set, their account disabled, they signed out on the web or revoked them all. Returns how many."""
    if isinstance(users, models.QuerySet):
        return ApiToken.objects.filter(user__in=users.values("pk")).delete()[0]
    ids = [pk for pk in users if pk is not None]
    deleted = 0
    for start in range(0, len(ids), CHUNK):
        deleted += ApiToken.objects.filter(user_id__in=ids[start : start + CHUNK]).delete()[0]
    return deleted


def may_manage_tokens_of(viewer, user) -> bool:
    """One's own tokens, and those of users inside one's "accounts.change" scope."""
    from grassroots.accounts.services.grants import users_in_scope

    return viewer.pk == user.pk or users_in_scope(viewer, MANAGE_PERMISSION).filter(pk=user.pk).exists()
