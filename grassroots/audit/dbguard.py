"""The audit trail is append-only in the database too, not only through the ORM (models.py): a trigger on each
of its tables refuses UPDATE and DELETE (migration `audit.0006`; docs/audit.md "Append-only",
docs/decisions.md "Append-only audit tables in the database: a trigger with one opening").

Revoking UPDATE and DELETE from the application's database role is impossible while the application owns the
tables (an owner may always grant itself back), so the refusal is a trigger, and it has one opening: the
sanctioned paths — the retention job (`models.allow_prune`), the redaction after a deletion request or a
retention run (`models.allow_redaction`) and `manage.py flush` — run inside `opened()`:

- PostgreSQL: the session setting `grassroots.audit_open` is `on` (set with `set_config`, reset when the
  block ends; rolled back with a transaction that fails). The trigger function reads it.
- SQLite: the trigger calls the function `grassroots_audit_open()`, which the platform registers on each of
  its connections and which answers 1 only inside `opened()` in that thread. Any other client (the sqlite3
  shell) has no such function: its UPDATE or DELETE of the trail fails.

One more change is no tampering and passes: a deleted user's id set to NULL in the actor column of a change
entry (`actor_id`) or an event (`user_id`) when nothing else of the row changes (Django's SET_NULL; the chain
accepts it too, chain.py).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

SETTING = "grassroots.audit_open"
SQLITE_FUNCTION = "grassroots_audit_open"
MESSAGE = "审计日志只能追加，不能修改或删除（audit trail is append-only）"

# table → the column a user's deletion may set to NULL (or None)
TABLES: dict[str, str | None] = {
    "auditlog_logentry": "actor_id",
    "audit_auditevent": "user_id",
    "audit_auditscope": None,
    "audit_chainlink": None,
    "audit_redaction": None,
}

_open: ContextVar[bool] = ContextVar("grassroots_audit_db_open", default=False)


def is_open() -> bool:
    return _open.get()


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: the trigger's question, answered per thread."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, lambda: 1 if _open.get() else 0)


def _set(connection, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, value])


@contextlib.contextmanager
def opened(using: str = DEFAULT_DB_ALIAS):
    """Let the statements of this block update or delete the trail's rows (the sanctioned paths only)."""
    connection = connections[using]
    token = _open.set(True)
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            _set(connection, "on")
        yield
    finally:
        _open.reset(token)
        if postgres and not _open.get():
            # a failed transaction cannot run it: its rollback undoes the setting
            with contextlib.suppress(DatabaseError):
                _set(connection, "off")


# --- the triggers (migration audit.0006) ------------------------------------------------------------------
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION grassroots_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('{SETTING}', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_NARGS > 0
        AND (to_jsonb(NEW) ->> TG_ARGV[0]) IS NULL
        AND (to_jsonb(OLD) - TG_ARGV[0]) = (to_jsonb(NEW) - TG_ARGV[0]) THEN
        RETURN NEW;  -- a deleted user's id set to NULL, nothing else changed
    END IF;
    RAISE EXCEPTION '{MESSAGE}: % on %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str, op: str) -> str:
    return f"grassroots_{table}_no_{op}"


def install(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, None)  # no parameters: its % are plpgsql's
        for table, nullable in TABLES.items():
            args = f"'{nullable}'" if nullable else ""
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "change")} ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER {_trigger(table, "change")} BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION grassroots_audit_append_only({args})"
            )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table, nullable in TABLES.items():
                columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
                allowed = ""
                if nullable:
                    same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != nullable)
                    allowed = f' AND NOT (NEW."{nullable}" IS NULL AND {same})'
                for op in ("update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op)}")
                schema_editor.execute(
                    f'CREATE TRIGGER {_trigger(table, "update")} BEFORE UPDATE ON "{table}" '
                    f"WHEN NOT {SQLITE_FUNCTION}(){allowed} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
                schema_editor.execute(
                    f'CREATE TRIGGER {_trigger(table, "delete")} BEFORE DELETE ON "{table}" '
                    f"WHEN NOT {SQLITE_FUNCTION}() "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )


def uninstall(schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "change")} ON "{table}"')
        schema_editor.execute("DROP FUNCTION IF EXISTS grassroots_audit_append_only()")
    elif connection.vendor == "sqlite":
        for table in TABLES:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op)}")
