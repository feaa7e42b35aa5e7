"""Append-only tables in the database too, not only through the ORM: a trigger on each table of a guarded
set refuses UPDATE and DELETE. One mechanism, two users: the audit trail (`AUDIT` below, migration
`audit.0006`; docs/audit.md "Append-only") and the points ledger (`virtue.models_points.LEDGER_GUARD`,
migration `virtue.0006`; docs/virtue.md "Points"). docs/decisions.md "Append-only audit tables in the
database: a trigger with one opening".

Revoking UPDATE and DELETE from the application's database role is impossible while the application owns the
tables (an owner may always grant itself back), so the refusal is a trigger, and each guard has one opening:
its sanctioned paths run inside `guard.opened()` — for the audit trail the retention job
(`models.allow_prune`), the redaction after a deletion request or a retention run (`models.allow_redaction`);
for the ledger none; for every guard `manage.py flush` (`opened_all`):

- PostgreSQL: the session setting `grassroots.<name>_open` is `on` (set with `set_config`, reset when the
  block ends; rolled back with a transaction that fails). The guard's trigger function reads it.
- SQLite: the trigger calls the function `grassroots_<name>_open()`, which the platform registers on each
  of its connections and which answers 1 only inside `opened()` in that thread. Any other client (the
  sqlite3 shell) has no such function: its UPDATE or DELETE of the table fails.

One more change is no tampering and passes: a deleted user's id set to NULL in the one column a table names
(Django's SET_NULL; for the trail the actor of a change entry `actor_id` or of an event `user_id`, for the
ledger the recorder `created_by_id`) when nothing else of the row changes (the audit chain accepts it too,
chain.py).
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

GUARDS: dict[str, Guard] = {}


@dataclass(eq=False)
class Guard:
    """A set of append-only tables: `tables` maps each table to the column a user's deletion may set to NULL
    (or None); `message` is the database's refusal (it names "append-only" in English for the logs)."""

    name: str
    tables: dict[str, str | None]
    message: str
    _open: ContextVar = field(init=False, repr=False)

    def __post_init__(self):
        self._open = ContextVar(f"grassroots_{self.name}_db_open", default=False)
        GUARDS[self.name] = self

    @property
    def setting(self) -> str:
        return f"grassroots.{self.name}_open"

    @property
    def sqlite_function(self) -> str:
        return f"grassroots_{self.name}_open"

    @property
    def pg_function(self) -> str:
        return f"grassroots_{self.name}_append_only"

    def is_open(self) -> bool:
        return self._open.get()

    def register_sqlite_function(self, connection) -> None:
        connection.connection.create_function(self.sqlite_function, 0, lambda: 1 if self._open.get() else 0)

    def _set(self, connection, value: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [self.setting, value])

    @contextlib.contextmanager
    def opened(self, using: str = DEFAULT_DB_ALIAS):
        """Let the statements of this block update or delete the guarded rows (the sanctioned paths only)."""
        connection = connections[using]
        token = self._open.set(True)
        postgres = connection.vendor == "postgresql"
        try:
            if postgres:
                self._set(connection, "on")
            yield
        finally:
            self._open.reset(token)
            if postgres and not self._open.get():
                # a failed transaction cannot run it: its rollback undoes the setting
                with contextlib.suppress(DatabaseError):
                    self._set(connection, "off")

    # --- the triggers (a migration of the owning app calls these) -------------------------------------
    def pg_function_sql(self) -> str:
        return f"""
CREATE OR REPLACE FUNCTION {self.pg_function}() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('{self.setting}', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_NARGS > 0
        AND (to_jsonb(NEW) ->> TG_ARGV[0]) IS NULL
        AND (to_jsonb(OLD) - TG_ARGV[0]) = (to_jsonb(NEW) - TG_ARGV[0]) THEN
        RETURN NEW;  -- a deleted user's id set to NULL, nothing else changed
    END IF;
    RAISE EXCEPTION '{self.message}: % on %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

    def install(self, schema_editor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            schema_editor.execute(self.pg_function_sql(), None)  # no parameters: its % are plpgsql's
            for table, nullable in self.tables.items():
                args = f"'{nullable}'" if nullable else ""
                schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "change")} ON "{table}"')
                schema_editor.execute(
                    f'CREATE TRIGGER {_trigger(table, "change")} BEFORE UPDATE OR DELETE ON "{table}" '
                    f"FOR EACH ROW EXECUTE FUNCTION {self.pg_function}({args})"
                )
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for table, nullable in self.tables.items():
                    columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
                    allowed = ""
                    if nullable:
                        same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != nullable)
                        allowed = f' AND NOT (NEW."{nullable}" IS NULL AND {same})'
                    for op in ("update", "delete"):
                        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op)}")
                    schema_editor.execute(
                        f'CREATE TRIGGER {_trigger(table, "update")} BEFORE UPDATE ON "{table}" '
                        f"WHEN NOT {self.sqlite_function}(){allowed} "
                        f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
                    )
                    schema_editor.execute(
                        f'CREATE TRIGGER {_trigger(table, "delete")} BEFORE DELETE ON "{table}" '
                        f"WHEN NOT {self.sqlite_function}() "
                        f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
                    )

    def install_truncate(self, schema_editor) -> None:
        """PostgreSQL: TRUNCATE fires no row trigger, so a statement trigger on each table refuses it (for
        the audit trail migration `audit.0007`), with the same function and opening (`flush` truncates
        inside `opened_all`). SQLite has no TRUNCATE: its `DELETE FROM t` meets the row triggers."""
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in self.tables:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "truncate")} ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER {_trigger(table, "truncate")} BEFORE TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {self.pg_function}()"
            )

    def uninstall_truncate(self, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in self.tables:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "truncate")} ON "{table}"')

    def uninstall(self, schema_editor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            for table in self.tables:
                schema_editor.execute(f'DROP TRIGGER IF EXISTS {_trigger(table, "change")} ON "{table}"')
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.pg_function}()")
        elif connection.vendor == "sqlite":
            for table in self.tables:
                for op in ("update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, op)}")


def _trigger(table: str, op: str) -> str:
    return f"grassroots_{table}_no_{op}"


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: each guard's question, answered per thread."""
    if connection.vendor == "sqlite":
        for guard in GUARDS.values():
            guard.register_sqlite_function(connection)


@contextlib.contextmanager
def opened_all(using: str = DEFAULT_DB_ALIAS):
    """Every guard open (`flush`: emptying the whole database is no tampering)."""
    with contextlib.ExitStack() as stack:
        for guard in list(GUARDS.values()):
            stack.enter_context(guard.opened(using))
        yield


# --- the audit trail's guard (migrations audit.0006, audit.0007 for TRUNCATE) ------------------------------
AUDIT = Guard(
    "audit",
    {
        "auditlog_logentry": "actor_id",
        "audit_auditevent": "user_id",
        "audit_auditscope": None,
        "audit_chainlink": None,
        "audit_redaction": None,
    },
    "审计日志只能追加，不能修改或删除（audit trail is append-only）",
)
SETTING = AUDIT.setting
SQLITE_FUNCTION = AUDIT.sqlite_function
MESSAGE = AUDIT.message
TABLES = AUDIT.tables
is_open = AUDIT.is_open
opened = AUDIT.opened
install = AUDIT.install
uninstall = AUDIT.uninstall
install_truncate = AUDIT.install_truncate
uninstall_truncate = AUDIT.uninstall_truncate


# --- the application's role (PostgreSQL; docs/operations.md "The database roles") --------------------------
def app_role_sql(role: str, *, database: str, append_only: bool = False) -> list[str]:
    """SQL, run as the owner of the tables (the role that runs `migrate`), giving `role` what the running
    platform needs and no more: it owns nothing, so it can neither drop nor disable the guards' triggers nor
    alter their tables, and it has no TRUNCATE anywhere. On the audit trail's tables SELECT and INSERT, and
    UPDATE and DELETE for the sanctioned paths (retention, redaction), which the triggers still refuse
    outside their opening; `append_only`: SELECT and INSERT only (then the retention job and the completion
    of deletion requests must run with the owner's credentials). On the other guards' tables (the points
    ledger) SELECT, INSERT and UPDATE (only a deleted user's id set to NULL passes their trigger), no
    DELETE. Idempotent: run again after every `migrate` (new tables get the rights by the default privileges
    too)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError("role: lower-case letters, digits and _")
    name, db = f'"{role}"', '"' + database.replace('"', '""') + '"'
    dml = "SELECT, INSERT, UPDATE, DELETE"
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT; END IF; END $$",
        f"GRANT CONNECT ON DATABASE {db} TO {name}",
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
        f"GRANT {dml} ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
    ]
    audit_rights = "SELECT, INSERT" if append_only else dml
    for guard in GUARDS.values():
        tables = ", ".join(f'"{table}"' for table in guard.tables)
        rights = audit_rights if guard is AUDIT else "SELECT, INSERT, UPDATE"
        statements += [f"REVOKE ALL ON {tables} FROM {name}", f"GRANT {rights} ON {tables} TO {name}"]
    return [
        *statements,
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {dml} ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ]
