"""A limit on concurrent web sessions per account (MLPS 8.1.4.2, docs/accounts.md "Sessions"): each sign-in
is indexed (`AccountSession`); when an account holds more than `SESSIONS_PER_ACCOUNT` live sessions (0: no
limit), the oldest end — their browsers are signed out at their next request. Signing out drops the index
row; rows of sessions that expired are dropped at the next sign-in of the account."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def limit() -> int:
    return max(0, int(getattr(settings, "SESSIONS_PER_ACCOUNT", 0)))


def signed_in(*, user, request) -> list[str]:
    """Index the request's session for `user`; end the oldest beyond the limit. Returns the ended keys."""
    from grassroots.accounts.models import AccountSession

    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key or str(session.get("_auth_user_id", "")) != str(user.pk):
        return []  # a token sign-in (the API): no web session
    AccountSession.objects.update_or_create(session_key=key, defaults={"user": user})
    store = _store()
    rows = list(AccountSession.objects.filter(user=user).order_by("-created_at", "-pk"))
    live, gone = [], []
    for row in rows:
        (live if row.session_key == key or store().exists(row.session_key) else gone).append(row.pk)
    ended = []
    allowed = limit()
    if allowed:  # this one counts; the newest others up to the limit stay, the oldest end
        others = [row for row in rows if row.pk in live and row.session_key != key]
        for row in others[allowed - 1 :]:
            store(session_key=row.session_key).delete()
            ended.append(row.session_key)
            gone.append(row.pk)
    if gone:
        AccountSession.objects.filter(pk__in=gone).delete()
    return ended


def signed_out(*, request) -> None:
    from grassroots.accounts.models import AccountSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        AccountSession.objects.filter(session_key=key).delete()
