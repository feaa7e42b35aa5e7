"""Reads of the workflow mechanism that pages of every part share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet, Window

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


def pending_for(user, limit: int = 10) -> list[PendingItem]:
    """Records of every workflow model (and registered worklist) awaiting what the user may do, oldest first.
    Each model declares its own list in `pending_for(user)`; this costs one query per model."""
    if user is None or not user.is_authenticated:
        return []
    items: list[PendingItem] = []
    for model in worklist_models():
        qs = model.pending_for(user)
        if qs is not None:
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


def pending_groups(user, limit: int = 10) -> list[PendingGroup]:
    """The user's worklists by kind (workflow model), each with its first `limit` items and its total: one
    query per workflow model (the total is a window count over the same query), whatever the rows."""
    if user is None or not user.is_authenticated:
        return []
    groups: list[PendingGroup] = []
    for model in worklist_models():
        qs = model.pending_for(user)
        if qs is None:
            continue
        rows = list(qs.annotate(pending_total=Window(Count("pk")))[:limit])
        if rows:
            items = [record.as_pending_item() for record in rows]
            label = str(model._meta.verbose_name)
            groups.append(PendingGroup(model._meta.label_lower, label, items, rows[0].pending_total))
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
