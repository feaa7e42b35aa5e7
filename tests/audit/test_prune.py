"""Retention: entries are kept at least 180 days whatever the settings say; pruning is the only deletion
path, runs as a command or a task, and leaves its own trace."""

from io import StringIO

from auditlog.models import LogEntry
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks.base import Task

from grassroots.audit.models import AuditEvent, AuditScope
from grassroots.audit.services import prune_audit, retention_days
from grassroots.audit.tasks import prune_audit as prune_task

from .conftest import old_entry, old_event


def test_entries_younger_than_180_days_survive_a_lower_setting(settings, tree):
    settings.AUDIT_RETENTION_DAYS = 30
    assert retention_days() == 180
    keep_event, keep_entry = old_event(days=179), old_entry(tree.grid_a, days=179)
    drop_event, drop_entry = old_event(days=181), old_entry(tree.grid_a, days=181)
    outcome = prune_audit()
    assert outcome == {"changes": 1, "events": 1, "retention_days": 180}
    assert AuditEvent.objects.filter(pk=keep_event.pk).exists()
    assert LogEntry.objects.filter(pk=keep_entry.pk).exists()
    assert not AuditEvent.objects.filter(pk=drop_event.pk).exists()
    assert not LogEntry.objects.filter(pk=drop_entry.pk).exists()
    assert not AuditScope.objects.filter(entry_id=drop_entry.pk).exists()
    assert AuditScope.objects.filter(entry_id=keep_entry.pk).exists()


def test_a_longer_retention_is_honoured(settings, tree):
    settings.AUDIT_RETENTION_DAYS = 400
    kept = old_event(days=300)
    dropped = old_event(days=401)
    prune_audit()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert not AuditEvent.objects.filter(pk=dropped.pk).exists()


def test_the_prune_leaves_a_trace(settings, db):
    settings.AUDIT_RETENTION_DAYS = 180
    old_event(days=200)
    old_event(days=300)
    prune_audit()
    trace = AuditEvent.objects.get(kind=AuditEvent.Kind.PRUNE)
    assert trace.count == 2
    assert "180" in trace.what


def test_the_management_command(settings, tree):
    settings.AUDIT_RETENTION_DAYS = 180
    old_event(days=200)
    old_entry(tree.grid_a, days=365)
    out = StringIO()
    call_command("prune_audit", stdout=out)
    assert "pruned 1 change entries and 1 events older than 180 days" in out.getvalue()
    assert not AuditEvent.objects.exclude(kind=AuditEvent.Kind.PRUNE).exists()


def test_the_prune_is_a_task_that_can_be_queued(settings, db):
    assert isinstance(prune_task, Task)
    old_event(days=365)
    assert prune_task.call() == {"changes": 0, "events": 1, "retention_days": retention_days()}
    result = prune_task.enqueue()
    assert result.status == TaskResultStatus.READY


def test_the_command_can_queue_the_task(db):
    out = StringIO()
    call_command("prune_audit", "--enqueue", stdout=out)
    assert out.getvalue().startswith("queued task ")
