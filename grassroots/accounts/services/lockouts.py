"""Sign-in lockouts (django-axes) as system admins see and lift them. An admin sees the locked accounts of
users inside their scope; an admin on a root area (a whole city) also sees locked addresses and names that
belong to no user. Lifting a lock deletes axes' failure records for that account or address (its strikes too,
so the next lockout is a short one again) and is logged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from grassroots.access.scoping import role_paths
from grassroots.accounts.lockout_growth import cool_off, forget, longest
from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.accounts.services.grants import users_in_scope
from grassroots.areas.models import Area
from grassroots.audit.services import record_change

log = logging.getLogger(__name__)
UNLOCK_PERMISSION = "accounts.change"


class LockoutNotVisible(Exception):
    """The lock does not exist or lies outside the viewer's scope (the page answers 404)."""


@dataclass
class Lockout:
    kind: str  # "username" or "ip"
    value: str
    failures: int
    last_attempt: datetime
    user: User | None = None


def can_unlock(viewer) -> bool:
    return bool(role_paths(viewer, [Role.SYSTEM_ADMIN]))


def _covers_everything(viewer) -> bool:
    return Area.objects.filter(path__in=role_paths(viewer, [Role.SYSTEM_ADMIN]), depth=1).exists()


def _locked(field: str):
    now = timezone.now()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - longest())
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    # each lock lasts its own cool-off, longer for repeated lockouts (lockout_growth.py)
    return [
        (row[field], row["failures"], row["last"])
        for row in rows
        if row["last"] + cool_off(field, row[field], now) > now
    ]


def visible_lockouts(viewer) -> list[Lockout]:
    """The accounts and addresses locked now that `viewer` may unlock."""
    if not can_unlock(viewer):
        return []
    everything = _covers_everything(viewer)
    accounts = _locked("username")
    users = {
        u.username: u
        for u in users_in_scope(viewer, UNLOCK_PERMISSION).filter(username__in=[a[0] for a in accounts])
    }
    found = [
        Lockout("username", name, failures, last, users.get(name))
        for name, failures, last in accounts
        if name in users or everything
    ]
    if everything:
        found += [Lockout("ip", ip, failures, last) for ip, failures, last in _locked("ip_address")]
    return found


@transaction.atomic
def unlock(*, actor, kind: str, value: str) -> int:
    """Lift the lock on one account (kind "username") or address (kind "ip"); returns the records removed."""
    lock = next((x for x in visible_lockouts(actor) if x.kind == kind and x.value == value), None)
    if lock is None:
        raise LockoutNotVisible(value)
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    forget(**({"username": value} if kind == "username" else {"ip": value}))  # the next lock starts short
    subject = lock.user or actor  # an address (or unknown name) is logged on the admin's own record
    record_change(
        instance=subject, changes={f"sign_in_lock:{kind}:{value}": ("locked", "unlocked")}, actor=actor
    )
    log.warning("sign-in lock on %s %s lifted by %s", kind, value, actor.get_username())
    return removed
