"""Reads of the audit trail, scoped: an auditor sees the entries about records and people within the
areas where they hold "audit.view". Entries that belong to no area (e.g. a failed login with an unknown
username) are seen only by auditors whose scope is a whole tree (a root area).

The page shows one feed, newest first: change entries (auditlog) and access/export events (AuditEvent),
merged by a UNION of (timestamp, pk, source) so that the database sorts and pages both together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BooleanField, Field, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_paths, scope_q
from grassroots.areas.models import Area
from grassroots.audit import agents
from grassroots.audit.models import AuditEvent
from grassroots.audit.registry import tracked_models

PERMISSION = "audit.view"
CHANGE = "change"
SOURCE_CHANGE = 0
SOURCE_EVENT = 1

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("新建"),
    LogEntry.Action.UPDATE: _("修改"),
    LogEntry.Action.DELETE: _("删除"),
    LogEntry.Action.ACCESS: _("查看"),
}


def kind_choices() -> list[tuple[str, Any]]:
    return [("", _("全部")), (CHANGE, _("数据变更")), *AuditEvent.Kind.choices]


def model_choices() -> list[tuple[int, str]]:
    """The tracked models as (content type id, label): no query once the content type cache is warm."""
    models = tracked_models()
    types = ContentType.objects.get_for_models(*models)
    return sorted(((types[m].pk, str(m._meta.verbose_name)) for m in models), key=lambda c: c[1])


def _covers_whole_tree(paths: list[str]) -> bool:
    return any(len(p) == Area.steplen for p in paths)


def change_entries(user, filters: dict | None = None) -> QuerySet[LogEntry]:
    filters = filters or {}
    kind = filters.get("kind") or ""
    if kind and kind != CHANGE:
        return LogEntry.objects.none()
    q = scope_q(user, PERMISSION, "audit_scope__area_path")
    if _covers_whole_tree(scope_paths(user, PERMISSION)):
        q |= Q(audit_scope__isnull=True) | Q(audit_scope__area_path="")
    qs = LogEntry.objects.filter(q)
    if filters.get("model"):
        qs = qs.filter(content_type_id=filters["model"])
    if filters.get("actor"):
        actor = filters["actor"]
        qs = qs.filter(Q(actor__username__icontains=actor) | Q(actor__full_name__icontains=actor))
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(
            Q(object_repr__icontains=text)
            | Q(changes__icontains=text)
            | Q(actor__username__icontains=text)
            | Q(actor__full_name__icontains=text)
        )
    return _in_period(qs, filters)


def events(user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    filters = filters or {}
    kind = filters.get("kind") or ""
    if kind == CHANGE or filters.get("model"):
        return AuditEvent.objects.none()
    q = scope_q(user, PERMISSION, "scope_path")
    if _covers_whole_tree(scope_paths(user, PERMISSION)):
        q |= Q(scope_path="")
    qs = AuditEvent.objects.filter(q)
    if kind:
        qs = qs.filter(kind=kind)
    if filters.get("actor"):
        actor = filters["actor"]
        qs = qs.filter(Q(username__icontains=actor) | Q(user__full_name__icontains=actor))
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(what__icontains=text)
            | Q(user_agent__icontains=text)
            | Q(user__full_name__icontains=text)
            | Q(ip__startswith=text)
        )
    return _in_period(qs, filters)


def _in_period(qs: QuerySet, filters: dict) -> QuerySet:
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(timestamp__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz))
    if filters.get("date_to"):
        end = filters["date_to"] + dt.timedelta(days=1)
        qs = qs.filter(timestamp__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    return qs


def feed(user, filters: dict | None = None) -> QuerySet:
    """(timestamp, pk, source) rows of both kinds of entries, newest first, for a Paginator."""
    a = (
        change_entries(user, filters)
        .order_by()
        .annotate(source=Value(SOURCE_CHANGE, output_field=IntegerField()))
        .values_list("timestamp", "pk", "source")
    )
    b = (
        events(user, filters)
        .order_by()
        .annotate(source=Value(SOURCE_EVENT, output_field=IntegerField()))
        .values_list("timestamp", "pk", "source")
    )
    return a.union(b, all=True).order_by("-timestamp", "-pk")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class FeedItem:
    timestamp: dt.datetime
    kind: str
    kind_label: str
    actor: str
    object_type: str
    object_label: str
    ip: str
    user_agent: str = ""
    browser: str = ""  # the user agent's summary: "Chrome 120 · Windows"
    details: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def details_text(self) -> str:
        """The details in one line: each changed field "label: old → new", else the event's details."""
        if self.changes:
            return "；".join(f"{c.label}: {c.old or '—'} → {c.new or '—'}" for c in self.changes)
        return self.details


# Labels for fields whose models give them no verbose name of their own (Django's default is the field's
# name: "member", "recorded by"); tests/audit keeps every tracked field named in Chinese.
FIELD_LABELS = {
    "user": _("用户"),
    "granted_by": _("授权人"),
    "parent": _("上级"),
    "secretary": _("书记"),
    "member": _("党员"),
    "recorded_by": _("记录人"),
    "recorded_at": _("记录时间"),
    "requested_by": _("申请人"),
    "gathering": _("会议活动"),
    "created_by": _("创建人"),
    "created_at": _("创建时间"),
    "published_at": _("发布时间"),
    "closed_at": _("结束时间"),
    "household": _("户"),
    "result": _("结果"),
    "chain_seq": _("链序号"),
    "chain_head": _("链头"),
    "path": _("路径"),
    "report": _("报告"),
    "vote": _("投票"),
    "voter": _("投票人"),
    "issued_by": _("发放人"),
    "issued_at": _("发放时间"),
    "partner": _("共建单位"),
    "signed_up_by": _("登记人"),
    "file_name": _("文件名"),
    "evidence_name": _("证明材料文件名"),
    "claimed_by": _("认领人"),
    "step_since": _("进入本步骤时间"),
    "claim": _("认领"),
    "rater": _("评价人"),
    "reminded_for": _("已提醒的到期日"),
}
HIDDEN_FIELDS = {"id"}

ForeignKeyLabels = dict[tuple[type, str], str]


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if isinstance(model_field, Field) else None  # not a reverse relation


def _old_new(values: Any) -> tuple[Any, Any]:
    if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": …, "objects": […]}
        objects = "、".join(str(o) for o in values.get("objects", []))
        return ("", objects) if values.get("operation") == "add" else (objects, "")
    if isinstance(values, list):
        return tuple([*values, None, None][:2])
    return None, values


def _empty(value: Any) -> bool:
    return value in (None, "None", "")


def _foreign_key_labels(entries) -> ForeignKeyLabels:
    """Names of the records that changed foreign keys point at: one query per related model on the page."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _model_field(model, name)
            if model_field is not None and model_field.many_to_one:
                wanted[model_field.related_model].update(str(v) for v in _old_new(values) if not _empty(v))
    labels: ForeignKeyLabels = {}
    for related, pks in wanted.items():
        try:
            for obj in related._default_manager.filter(pk__in=sorted(pks)):
                labels[(related, str(obj.pk))] = str(obj)
        except (ValueError, ValidationError):
            continue
    return labels


def _display(model_field, value: Any, fk_labels: ForeignKeyLabels) -> str:
    if _empty(value):
        return ""
    if model_field is not None and model_field.many_to_one:
        return fk_labels.get((model_field.related_model, str(value)), f"#{value}")
    if model_field is not None and model_field.choices:
        labels = {str(k): v for k, v in model_field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(model_field, BooleanField) or str(value) in ("True", "False"):
        return str({"True": _("是"), "False": _("否")}.get(str(value), value))
    return str(value)


def _has_own_label(model_field) -> bool:
    return str(model_field.verbose_name) != model_field.name.replace("_", " ")  # Django's default


def _field_label(model_field, name: str) -> str:
    if model_field is not None and _has_own_label(model_field):
        return str(model_field.verbose_name)
    return str(FIELD_LABELS.get(name, name))


def _change_item(entry: LogEntry, fk_labels: ForeignKeyLabels) -> FeedItem:
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        if name in HIDDEN_FIELDS:
            continue
        model_field = _model_field(model, name)
        old, new = _old_new(values)
        changes.append(
            FieldChange(
                _field_label(model_field, name),
                _display(model_field, old, fk_labels),
                _display(model_field, new, fk_labels),
            )
        )
    actor = entry.actor.display_name if entry.actor else (entry.actor_email or "")
    return FeedItem(
        timestamp=entry.timestamp,
        kind=CHANGE,
        kind_label=str(ACTION_LABELS.get(entry.action, entry.action)),
        actor=actor,
        object_type=str(model._meta.verbose_name) if model else entry.content_type.model,
        object_label=entry.object_repr,
        ip=entry.remote_addr or "",
        changes=changes,
    )


def _event_item(event: AuditEvent) -> FeedItem:
    details = event.what
    if event.kind == AuditEvent.Kind.EXPORT:
        masked = _("未脱敏") if event.unmasked else _("已脱敏")
        details = f"{event.what} · {event.count or 0} {_('行')} · {masked}"
    actor = event.user.display_name if event.user else event.username
    return FeedItem(
        timestamp=event.timestamp,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        actor=actor,
        object_type="",
        object_label="",
        ip=event.ip or "",
        user_agent=event.user_agent,
        browser=agents.summary(event.user_agent),
        details=details,
    )


def materialize(rows) -> list[FeedItem]:
    """Turn a page of feed rows into display items: two queries whatever the page size, plus one per model
    that changed foreign keys point at."""
    rows = list(rows)
    change_ids = [pk for _ts, pk, source in rows if source == SOURCE_CHANGE]
    event_ids = [pk for _ts, pk, source in rows if source == SOURCE_EVENT]
    entries = (
        LogEntry.objects.select_related("actor", "content_type").in_bulk(change_ids) if change_ids else {}
    )
    fk_labels = _foreign_key_labels(entries.values())
    found = AuditEvent.objects.select_related("user").in_bulk(event_ids) if event_ids else {}
    items = []
    for _ts, pk, source in rows:
        if source == SOURCE_CHANGE and pk in entries:
            items.append(_change_item(entries[pk], fk_labels))
        elif source == SOURCE_EVENT and pk in found:
            items.append(_event_item(found[pk]))
    return items
