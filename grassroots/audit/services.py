"""Writes to the audit trail. Other parts call `record_export` (every export) and, for changes made by
queryset updates or raw SQL that auditlog's signals cannot see, `record_change`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.accounts.addresses import client_ip
from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, AuditScope, allow_prune
from grassroots.audit.registry import scope_path_of, user_scope_path

MIN_RETENTION_DAYS = 180
PRUNE_BATCH = 1000


def _user_agent(request) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


def record_access(*, kind: str, user=None, username: str = "", request=None) -> AuditEvent:
    """Log a login, logout, failed login, two-factor event or password change."""
    if user is not None and not username:
        username = user.get_username()
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip=client_ip(request),
        user_agent=_user_agent(request),
        scope_path=user_scope_path(user),
    )


def record_export(
    *, user, what: str, count: int, unmasked: bool = False, area=None, request=None
) -> AuditEvent:
    """Log an export: who, when, what, how many rows, masked or not. `area` is the area whose data was
    exported (defaults to the exporter's working area, else where they belong)."""
    if area is not None:
        scope = area.path
    else:
        scope = getattr(user, "active_area_path", None) or user_scope_path(user)
    with transaction.atomic():
        return AuditEvent.objects.create(
            kind=AuditEvent.Kind.EXPORT,
            user=user,
            username=user.get_username() if user is not None else "",
            what=str(what)[:200],
            count=count,
            unmasked=unmasked,
            ip=client_ip(request),
            user_agent=_user_agent(request),
            scope_path=scope,
        )


def attach_scope(*, entry: LogEntry, instance: models.Model) -> AuditScope:
    """Store the area path of the record a change entry is about (called for every new entry), with its link
    of the hash chain in the same transaction."""
    with transaction.atomic():
        scope = AuditScope.objects.create(entry=entry, area_path=scope_path_of(instance))
        chain.append(scope)
    return scope


def record_change(
    *, instance: models.Model, changes: dict[str, tuple[Any, Any]], actor=None, action: int | None = None
) -> LogEntry:
    """Log a change that bypassed model signals (queryset update, raw SQL, a tree move), with old and new
    values: `changes={"path": (old, new)}`."""
    with transaction.atomic():
        fields: dict[str, Any] = {
            "action": LogEntry.Action.UPDATE if action is None else action,
            "changes": {name: [str(old), str(new)] for name, (old, new) in changes.items()},
            "force_log": True,
        }
        if actor is not None:
            fields["actor"] = actor
        entry = LogEntry.objects.log_create(instance, **fields)
        attach_scope(entry=entry, instance=instance)
        return entry


def retention_days() -> int:
    """AUDIT_RETENTION_DAYS, never less than 180 whatever the settings say."""
    return max(MIN_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)))


def _delete_in_batches(queryset: models.QuerySet) -> int:
    """Delete in short transactions so that a large prune never holds the database for long."""
    deleted = 0
    while True:
        with transaction.atomic(), allow_prune():
            batch = list(queryset.values_list("pk", flat=True)[:PRUNE_BATCH])
            if not batch:
                return deleted
            queryset.model.objects.filter(pk__in=batch).delete()
            chain.mark_pruned(queryset.model, batch)
            if (
                queryset.model is LogEntry
            ):  # their scopes went with them (CASCADE; AuditScope's pk is the entry's)
                chain.mark_pruned(AuditScope, batch)
        deleted += len(batch)


def prune_audit(*, now=None) -> dict[str, int]:
    """Delete the trail's rows older than the retention period: the only deletion path of the audit
    trail. The links of the deleted rows are marked pruned, the all-pruned prefix of the hash chain is
    replaced by its anchor, and the prune itself is logged (with the anchor)."""
    now = now or timezone.now()
    days = retention_days()
    cutoff = now - timedelta(days=days)
    changes = _delete_in_batches(LogEntry.objects.filter(timestamp__lt=cutoff).order_by())
    events = _delete_in_batches(AuditEvent.objects.filter(timestamp__lt=cutoff).order_by())
    with allow_prune():
        anchor_seq, anchor_hash = chain.anchor_pruned_prefix()
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.PRUNE,
        what=gettext("保留 %(days)s 天：删除 %(date)s 之前的记录；哈希链起点 #%(seq)s %(hash)s")
        % {
            "days": days,
            "date": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M"),
            "seq": anchor_seq,
            "hash": anchor_hash[:16],
        },
        count=changes + events,
    )
    return {"changes": changes, "events": events, "retention_days": days}


def system_admins():
    """Who is told when the audit chain breaks: holders of the system admin role, and superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from grassroots.accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(Q(grants__role=Role.SYSTEM_ADMIN) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def verify_chain() -> dict:
    """Verify the hash chain; when it is broken, notify the system admins (in-app). The clock runs it
    daily (tasks.verify_audit_chain)."""
    from django.urls import reverse

    from grassroots.workflow.services import notify

    outcome = chain.verify()
    anchors, against_anchors = chain.check_anchors() if outcome.ok else (0, None)
    broken = outcome.broken or against_anchors
    if broken is None:
        return {"ok": True, "checked": outcome.checked, "head": outcome.head_seq, "anchors": anchors}
    with transaction.atomic():
        notify(
            recipients=list(system_admins()),
            verb=gettext("审计日志哈希链断裂：%(where)s。请立即检查数据库。") % {"where": broken},
            url=reverse("audit:log"),
        )
    return {"ok": False, "checked": outcome.checked, "broken": str(broken)}


def anchor_head() -> tuple[int, str]:
    """Record the chain's head outside the database (chain.anchor_head; the clock, hourly)."""
    return chain.anchor_head()
