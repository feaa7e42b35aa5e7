"""Compliance figures kept in the cache, exact (docs/decisions.md, issue 19: "Compliance figures: computed,
kept under a version the database changes").

The figures of a scope in a period are a function of the accepted reports, the Party organizations (their
kind, area, creation, retirement, groups, names) and the area tree (paths, children), of the rules in force,
and of today. They are kept in the cache under a key made of all of these: today's date and the period,
the rules, what was asked (the scope's statement, an area's path), and the **version** of the three tables —
a random token that a trigger on each of them replaces on every write (insert, update, delete; PostgreSQL
also truncate), in the writing transaction. So every write, through a service, the admin, a queryset's
`update()`, a bulk load or raw SQL, changes the key of every entry the moment it commits, and a day or a
period that rolls over changes it too (the date is in the key): an entry is never read once stale, and
nothing has to name the writes that invalidate.

The token is random, not a counter: a transaction that wrote and then computed (reading its own writes)
keeps its entry under a token that vanishes if it rolls back, and no later write can bring that token back
(a counter rolled back would be reused with other data). The version is read first, then the figures (on
the same database: a read replica's figures are kept under the replica's version), so an entry is never
older than its key. Without the version row (a database just flushed) nothing is kept.

The triggers are created by migration 0003 and after every `migrate` (post_migrate, idempotent), which also
covers test databases built without migrations.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from grassroots.core.orglife.conf import rules

TABLE = "orglife_complianceversion"
WATCHED = ("orglife_orglifereport", "areas_partyorg", "areas_area")
_TOKEN_SQLITE = "lower(hex(randomblob(16)))"
_FUNCTION = "orglife_compliance_changed"


def _sqlite() -> list[str]:
    # An UPDATE, and an INSERT only when the row is missing: no conflict clause in the body, which SQLite
    # would replace by the firing statement's (an `INSERT OR IGNORE` of a bulk load would then ignore it).
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_FUNCTION}_{table}_{event.lower()} AFTER {event} ON {table} BEGIN"
        f" UPDATE {TABLE} SET token = {_TOKEN_SQLITE} WHERE id = 1;"
        f" INSERT INTO {TABLE} (id, token) SELECT 1, {_TOKEN_SQLITE}"
        f" WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1); END"
        for table in WATCHED
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def _postgres() -> list[str]:
    # One statement-level trigger per table: a bulk write changes the version once, not once per row.
    return [
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" INSERT INTO {TABLE} (id, token) VALUES (1, replace(gen_random_uuid()::text, '-', ''))"
        " ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token; RETURN NULL; END $$",
        *(
            f"CREATE OR REPLACE TRIGGER {_FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
            for table in WATCHED
        ),
    ]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {_FUNCTION}_{table}_{event}"
            for table in WATCHED
            for event in ("insert", "update", "delete")
        ]
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {_FUNCTION} ON {table}" for table in WATCHED),
            f"DROP FUNCTION IF EXISTS {_FUNCTION}()",
        ]
    return []


def statements(vendor: str, drop: bool = False) -> list[str]:
    if drop:
        return _drop(vendor)
    return {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor, list)()


def create_triggers(connection, drop: bool = False) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, drop):
            cursor.execute(sql)


def ensure_triggers(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the triggers exist (once the version table and the watched tables do)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TABLE in tables and tables.issuperset(WATCHED):
        create_triggers(connection)


def seconds() -> int:
    """How long an entry is kept (0: nothing is kept). The date is in the key, so a day is enough."""
    return int(getattr(settings, "ORGLIFE_COMPLIANCE_CACHE_SECONDS", 0))


def version(db: str) -> str | None:
    """The current token of the watched tables on `db` (one query), None without the version row."""
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def key(db: str, *parts) -> str | None:
    """The cache key of a computation on `db` described by `parts` (plain values: the period's key, today,
    the statement and its parameters, paths), or None when nothing is to be kept. One query."""
    if not seconds():
        return None
    token = version(db)
    if token is None:
        return None
    described = repr((token, db, [(r.kind, r.unit, r.needs_groups) for r in rules()], parts))
    return "orglife:compliance:" + hashlib.sha256(described.encode()).hexdigest()


def kept(key: str | None, compute):
    """`compute()`, through the cache under `key` (computed every time when `key` is None)."""
    if key is None:
        return compute()
    hit = cache.get(key)
    if hit is None:
        hit = compute()
        cache.set(key, hit, seconds())
    return hit
