"""Reads of the workflow mechanism that pages of every part share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.db.models.query import EmptyQuerySet

from grassroots.workflow.engine import TransitionInfo, available, transition_label, workflow_models
from grassroots.workflow.models import (
    Notification,
    PendingItem,
    TransitionAttachment,
    TransitionLog,
    WorkflowModel,
    state_label,
)

__all__ = [
    "PendingGroup",
    "PendingItem",
    "TimelineEntry",
    "available_transitions",
    "notifications_for",
    "pending_for",
    "pending_groups",
    "pending_totals",
    "register_worklist",
    "timeline",
    "unread_count",
]


def unread_count(user) -> int:
    """How many of the user's notifications are unread (one indexed COUNT)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


# Models that keep a worklist without workflow steps: a record waits until something is done to it (a visit
# needing follow-up, until closed). Each declares, like a workflow model, `pending_for(user)` (a queryset,
# oldest first, one query) and `as_pending_item()`; registered from its app's ready().
WORKLISTS: list[type] = []


def register_worklist(model: type) -> None:
    """Put `model`'s `pending_for(user)` on everyone's to-do (home, /todo/, /api/todo/), beside the workflow
    models'."""
    if model not in WORKLISTS:
        WORKLISTS.append(model)


def worklist_models() -> list[type]:
    """The workflow models, then the registered worklists: everything a to-do list reads."""
    return [*workflow_models(), *WORKLISTS]


def _worklists(user) -> list[tuple[type, QuerySet]]:
    """(model, its `pending_for(user)`) for every worklist that is kept for the user (None: not kept)."""
    lists = []
    for model in worklist_models():
        qs = model.pending_for(user)
        if qs is not None:
            lists.append((model, qs))
    return lists


def pending_totals(querysets: list[QuerySet]) -> list[int]:
    """How many records each of `querysets` holds, in ONE statement whatever their number: a UNION ALL of
    one `SELECT <position>, COUNT(*) FROM (<its keys>)` per queryset. A queryset that can match nothing (an
    empty `IN ()`, `.none()`) is left out of the statement and counts 0; with none left, no query at all.
    Read at every call, never cached: the to-do changes as soon as someone acts.

    Each part is the queryset's own statement reduced to its keys (`values("pk")`: its filters as Django
    builds them, no ordering, no joins for select_related), wrapped in a count written here: the ORM's
    union of annotated counts compiled each part through four clones and a GROUP BY analysis — 32,000
    function calls for a city official's 18 worklists, against 15,000 this way (docs/performance.md,
    2026-12-07/08). Both databases flatten the subquery into a plain count."""
    totals = [0] * len(querysets)
    parts, params, using = [], [], None
    for i, qs in enumerate(querysets):
        if isinstance(qs, EmptyQuerySet):
            continue
        keys = qs.order_by().values("pk")
        using = using or keys.db
        try:
            sql, part_params = keys.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`)
            continue
        parts.append(f"SELECT {i:d}, COUNT(*) FROM ({sql}) wl{i:d}")
        params.extend(part_params)
    if not parts:
        return totals
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, total in cursor.fetchall():
            totals[i] = total
    return totals


def pending_for(user, limit: int = 10) -> list[PendingItem]:
    """Records of every workflow model (and registered worklist) awaiting what the user may do, oldest first.
    Each model declares its own list in `pending_for(user)`; one statement counts them all
    (`pending_totals`), then one query per model that holds any."""
    if user is None or not user.is_authenticated:
        return []
    lists = _worklists(user)
    items: list[PendingItem] = []
    for (_model, qs), total in zip(lists, pending_totals([qs for _, qs in lists]), strict=True):
        if total:
            items += [record.as_pending_item() for record in qs[:limit]]
    items.sort(key=lambda item: item.since)
    return items[:limit]


@dataclass
class PendingGroup:
    """One kind of work awaiting the user: the first `items` (oldest first) and how many there are."""

    kind: str
    label: str
    items: list[PendingItem]
    total: int


def pending_model(kind: str) -> type[WorkflowModel] | None:
    """The workflow model (or registered worklist) named "app_label.model" (a PendingItem's kind), or None."""
    return next((m for m in worklist_models() if m._meta.label_lower == kind), None)


def pending_groups(user, limit: int = 10, lines: int | None = None) -> list[PendingGroup]:
    """The user's worklists by kind (workflow model), each with its first `limit` items and its total: one
    statement for every total (`pending_totals`), then one query per kind whose items are read — most users
    wait on few kinds of the ~20, so the home page pays a few queries, not one per model, whatever the rows.

    `lines`: items read for the first kinds in order only until that many lines are shown in all — a line
    is a subject, items with one subject (a task sent to four streets) one line (the home's block); every
    later kind that holds any comes with its total and no items (its list is one click away). None: the
    first `limit` items of every kind (/todo/, /api/todo/)."""
    if user is None or not user.is_authenticated:
        return []
    lists = _worklists(user)
    left = lines
    groups: list[PendingGroup] = []
    for (model, qs), total in zip(lists, pending_totals([qs for _, qs in lists]), strict=True):
        if not total:
            continue
        read = limit if left is None else min(limit, left)
        rows = list(qs[:read]) if read > 0 else []
        if read > 0 and not rows:  # (someone acted between the two statements)
            continue
        items = [record.as_pending_item() for record in rows]
        if left is not None:
            left -= len({item.subject for item in items})
        label = str(model._meta.verbose_name)
        groups.append(PendingGroup(model._meta.label_lower, label, items, max(total, len(rows))))
    return groups


def available_transitions(record: WorkflowModel, user) -> list[TransitionInfo]:
    """The transitions `user` may take on `record` now, for the buttons of the record's page."""
    return available(record, user)


@dataclass
class TimelineEntry:
    log: TransitionLog
    label: str
    from_label: str
    to_label: str

    @property
    def actor(self):
        return self.log.actor

    @property
    def at(self) -> datetime:
        return self.log.at

    @property
    def comment(self) -> str:
        return self.log.comment

    @property
    def attachments(self) -> list[TransitionAttachment]:
        return list(self.log.attachments.all())


def timeline(record: WorkflowModel) -> list[TimelineEntry]:
    """The record's log, oldest first, with the labels of its states and steps: two queries (the log
    with its actors, then all attachments), whatever its length."""
    model = type(record)
    logs = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=record.pk
        )
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=TransitionAttachment.objects.order_by("id")))
        .order_by("at", "id")
    )
    return [
        TimelineEntry(
            log=log,
            label=transition_label(model, log.transition),
            from_label=state_label(model, log.from_state),
            to_label=state_label(model, log.to_state),
        )
        for log in logs
    ]
