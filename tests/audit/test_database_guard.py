"""The audit trail is append-only in the database (audit/dbguard.py, migration audit.0006): an UPDATE or
DELETE of its rows, through the ORM past the model's own guard or by plain SQL, is refused by a trigger — on
SQLite and on PostgreSQL alike; the sanctioned paths (the retention job, the redaction) still work and the
chain verifies; a deleted user's id set to NULL passes."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, models, transaction

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, AuditScope, ChainLink
from grassroots.audit.services import prune_audit, record_access
from tests.dbguard import raw, refused
from tests.factories import make_user

from .conftest import old_entry, old_event


def test_an_update_through_the_orm_fails_in_the_database(tree):
    entry = old_entry(tree.city, days=1)
    event = record_access(kind=AuditEvent.Kind.LOGIN, username="someone")
    # past the models' own guard (AppendOnlyQuerySet): a plain QuerySet's update is an UPDATE statement
    assert refused(lambda: models.QuerySet(LogEntry).filter(pk=entry.pk).update(changes={"name": ["x", "y"]}))
    assert refused(lambda: models.QuerySet(AuditEvent).filter(pk=event.pk).update(username="forged"))
    assert refused(lambda: models.QuerySet(AuditScope).filter(pk=entry.pk).update(area_path=""))
    assert refused(lambda: models.QuerySet(ChainLink).all().update(pruned=True))
    assert refused(raw(f"DELETE FROM {LogEntry._meta.db_table} WHERE id = %s", entry.pk))
    assert refused(raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", event.pk))
    assert refused(raw(f"UPDATE {ChainLink._meta.db_table} SET hash = %s", "0" * 64))
    # a NULLed user id with anything else changed is no deletion of a user
    assert refused(
        raw(f"UPDATE {AuditEvent._meta.db_table} SET user_id = NULL, what = 'x' WHERE id = %s", event.pk)
    )
    assert LogEntry.objects.get(pk=entry.pk).changes == {"name": ["旧", "新"]}
    assert chain.verify().ok


def test_retention_and_a_users_deletion_still_work(tree, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old = old_event(days=400)
    old_entry(tree.city, days=400)
    kept = old_event(days=10)
    someone = make_user("someone")
    record_access(kind=AuditEvent.Kind.LOGIN, user=someone)
    someone.delete()  # SET_NULL on the actor columns: allowed
    result = prune_audit()
    assert result["events"] >= 1 and result["changes"] >= 1
    assert (
        not AuditEvent.objects.filter(pk=old.pk).exists() and AuditEvent.objects.filter(pk=kept.pk).exists()
    )
    assert chain.verify().ok
    # the opening ended with the job
    assert refused(raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", kept.pk))


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_client_without_the_platforms_function_cannot_change_the_trail(tree):
    """The sqlite3 shell or any other client: the trigger's function is unknown there, so it fails."""
    import sqlite3

    name = connection.settings_dict["NAME"]
    if "memory" in str(name):
        pytest.skip("an in-memory test database has no second client")
    other = sqlite3.connect(name)
    with pytest.raises(sqlite3.OperationalError):
        other.execute(f"DELETE FROM {AuditEvent._meta.db_table}")
    other.close()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncate_is_refused_on_postgresql(tree):
    """TRUNCATE fires no row trigger: a statement trigger on each table of the trail refuses it (audit.0007).
    SQLite has no TRUNCATE; its `DELETE FROM t` is refused above."""
    from grassroots.audit.dbguard import TABLES

    old_entry(tree.city, days=1)
    event = record_access(kind=AuditEvent.Kind.LOGIN, username="someone")
    raw("SET CONSTRAINTS ALL IMMEDIATE")()  # the inserts' deferred checks, which TRUNCATE would wait for
    for table in TABLES:
        assert refused(raw(f'TRUNCATE "{table}" CASCADE')), table
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert chain.verify().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_application_role_owns_nothing_so_it_cannot_lift_the_guard(tree):
    """Production runs as a role made by `manage.py audit_app_role` (docs/operations.md): it reads and
    appends to the trail, but it may not truncate it, drop or disable its triggers, or alter its tables —
    those need the owner. (Inside the test's transaction: the role and its rights are rolled back.)"""
    import os

    from django.core.management import call_command

    role = f"grassroots_app_test_{os.getpid()}"
    call_command("audit_app_role", role, "--apply", stdout=open(os.devnull, "w"))  # noqa: SIM115

    def denied(statement: str) -> bool:
        try:
            with transaction.atomic():
                raw(statement)()
        except DatabaseError as exc:
            assert "permission denied" in str(exc) or "must be owner" in str(exc), exc
            return True
        return False

    raw(f'SET ROLE "{role}"')()
    try:
        record_access(kind=AuditEvent.Kind.LOGIN, username="as-the-app")  # an append, with its chain link
        assert AuditEvent.objects.filter(username="as-the-app").exists()
        for table in ("audit_chainlink", "audit_auditevent"):
            assert denied(f'TRUNCATE "{table}" CASCADE')
            assert denied(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')
            assert denied(f'DROP TRIGGER grassroots_{table}_no_change ON "{table}"')
        assert denied("DROP FUNCTION grassroots_audit_append_only() CASCADE")
        assert refused(raw(f"DELETE FROM {AuditEvent._meta.db_table}"))  # the trigger, as for the owner
    finally:
        raw("RESET ROLE")()
    assert chain.verify().ok
