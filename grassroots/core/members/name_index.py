"""The members' names by character (docs/decisions.md, issue 19: "The members' search reads the names'
characters").

`members_namecharacter` holds one row (character, member) for each distinct Chinese character of each
member's name. A search for `王` or `王芳` reads the members holding each of its Chinese characters from it
and checks the exact substring (`name icontains`) on those members only, where the city's search scanned every
member's name (78,000 index entries at tier M). The table is a superset filter: a member whose name holds the
query as a substring holds each of its characters, so the results are the substring search's, row for row.

Only CJK ideographs are kept (the unified blocks with extensions A to H, the compatibility ideographs): they
have no case, so `icontains` (SQLite's LIKE folds ASCII only, PostgreSQL's UPPER folds more) matches them
exactly and the table answers both databases alike. A query without such a character (pinyin, Latin) is the
substring search over the rows, as before.

The table is kept by the database: triggers on `members_member` for an insert (PostgreSQL: once per
statement, over the inserted rows — the import's batches), a change of the name and a delete, so every write
(a service, the admin, `QuerySet.update()`, `bulk_create`, the import's own INSERT, raw SQL) keeps it in the
same transaction and nothing has to name the writes. Migration 0011 creates the triggers and fills the table;
`ensure` runs after every `migrate` (post_migrate) and creates the triggers where they are missing — test
databases built without migrations, and SQLite, which drops a table's triggers when a migration rebuilds the
table — and then refills the table, since writes without the triggers were not kept.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q

TABLE = "members_namecharacter"
MEMBERS = "members_member"
_TRIGGER = "members_namecharacter"
EVENTS = ("insert", "update", "delete")  # each a trigger {_TRIGGER}_{event}
# Code points of the CJK ideographs (no case in any database's folding)
RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def characters(text: str) -> list[str]:
    """The distinct Chinese characters of `text`, in order (those the table holds)."""
    seen: dict[str, None] = {}
    for char in text:
        point = ord(char)
        if any(low <= point <= high for low, high in RANGES):
            seen.setdefault(char)
    return list(seen)


def holding(text: str) -> Q | None:
    """Members whose name holds every Chinese character of `text` (None when it has none): one `IN` per
    character, the rarest reading first is the planner's. Combine with the exact substring condition."""
    from grassroots.core.members.models import NameCharacter

    found = characters(text)
    if not found:
        return None
    q = Q()
    for char in found:
        q &= Q(pk__in=NameCharacter.objects.filter(character=char).values("member_id"))
    return q


def _is_ideograph(code: str) -> str:
    return "(" + " OR ".join(f"{code} BETWEEN {low} AND {high}" for low, high in RANGES) + ")"


def _sqlite_positions(name: str) -> str:
    """A table of the positions of `name`'s characters (`p.key`, from 0), for SQLite, which has no CTE in a
    trigger: json_each over a JSON array of as many zeros as the name has characters."""
    return f"json_each('[' || rtrim(replace(hex(zeroblob(length({name}))), '00', '0,'), ',') || ']') AS p"


def _sqlite_insert(member: str, source: str = "") -> str:
    """Insert the characters of `member`'s name (NEW in a trigger; `source` names the members' table)."""
    char = f"substr({member}.name, p.key + 1, 1)"
    return (
        f"INSERT INTO {TABLE} (character, member_id) SELECT DISTINCT {char}, {member}.id"
        f" FROM {source}{_sqlite_positions(member + '.name')} WHERE {_is_ideograph(f'unicode({char})')}"
    )


def _sqlite_delete(old: str) -> str:
    return (
        f"DELETE FROM {TABLE} WHERE member_id = {old}.id AND character IN"
        f" (SELECT substr({old}.name, p.key + 1, 1) FROM {_sqlite_positions(old + '.name')})"
    )


def _sqlite() -> list[str]:
    # No conflict clause in a body: SQLite would replace it by the firing statement's.
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER}_insert AFTER INSERT ON {MEMBERS} BEGIN"
        f" {_sqlite_insert('NEW')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER}_update AFTER UPDATE OF id, name ON {MEMBERS}"
        f" WHEN OLD.name IS NOT NEW.name OR OLD.id IS NOT NEW.id BEGIN"
        f" {_sqlite_delete('OLD')}; {_sqlite_insert('NEW')}; END",
        f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER}_delete AFTER DELETE ON {MEMBERS} BEGIN"
        f" {_sqlite_delete('OLD')}; END",
    ]


def _postgres_insert(rows: str) -> str:
    """Insert the characters of the names of `rows` (a table or subquery with `id` and `name`)."""
    return (
        f"INSERT INTO {TABLE} (character, member_id) SELECT DISTINCT c, m.id"
        f" FROM {rows} AS m, unnest(string_to_array(m.name, NULL)) AS c WHERE {_is_ideograph('ascii(c)')}"
        " ON CONFLICT DO NOTHING"
    )


def _postgres_delete(old: str) -> str:
    return (
        f"DELETE FROM {TABLE} WHERE member_id = {old}.id"
        f" AND character = ANY (string_to_array({old}.name, NULL))"
    )


def _postgres() -> list[str]:
    # An insert: once per statement over its rows (the import inserts 500 a statement); a change of the
    # name and a delete: once per row, only for a name that changed.
    return [
        f"CREATE OR REPLACE FUNCTION {_TRIGGER}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" {_postgres_insert('inserted')}; RETURN NULL; END $$",
        f"CREATE OR REPLACE FUNCTION {_TRIGGER}_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" {_postgres_delete('OLD')};"
        f" IF TG_OP = 'UPDATE' THEN {_postgres_insert('(SELECT NEW.id AS id, NEW.name AS name)')}; END IF;"
        " RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {_TRIGGER}_insert AFTER INSERT ON {MEMBERS}"
        f" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {_TRIGGER}_inserted()",
        f"CREATE OR REPLACE TRIGGER {_TRIGGER}_update AFTER UPDATE OF id, name ON {MEMBERS} FOR EACH ROW"
        f" WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.id IS DISTINCT FROM NEW.id)"
        f" EXECUTE FUNCTION {_TRIGGER}_changed()",
        f"CREATE OR REPLACE TRIGGER {_TRIGGER}_delete AFTER DELETE ON {MEMBERS} FOR EACH ROW"
        f" EXECUTE FUNCTION {_TRIGGER}_changed()",
    ]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {_TRIGGER}_{event}" for event in EVENTS]
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {_TRIGGER}_{event} ON {MEMBERS}" for event in EVENTS),
            f"DROP FUNCTION IF EXISTS {_TRIGGER}_inserted()",
            f"DROP FUNCTION IF EXISTS {_TRIGGER}_changed()",
        ]
    return []


def statements(vendor: str, drop: bool = False) -> list[str]:
    if drop:
        return _drop(vendor)
    return {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor, list)()


def _refill(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DELETE FROM {TABLE}", _sqlite_insert("m", f"{MEMBERS} AS m, ")]
    if vendor == "postgresql":
        return [f"DELETE FROM {TABLE}", _postgres_insert(MEMBERS)]
    return []


def create_triggers(connection, drop: bool = False) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, drop):
            cursor.execute(sql)


def refill(connection) -> None:
    """The table from the members' names, anew (the migration's backfill; after triggers were missing)."""
    with connection.cursor() as cursor:
        for sql in _refill(connection.vendor):
            cursor.execute(sql)


def has_triggers(connection) -> bool:
    """Whether all three triggers exist on `connection`."""
    names = [f"{_TRIGGER}_{event}" for event in EVENTS]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)", names
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname IN (%s, %s, %s)",
                [MEMBERS, *names],
            )
        else:
            return True
        return cursor.fetchone()[0] == len(names)


def ensure(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the triggers exist (once both tables do); where any was missing, they are created and
    the table refilled, in one transaction."""
    from django.db import transaction

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {TABLE, MEMBERS} <= tables or has_triggers(connection):
        return
    with transaction.atomic(using=using):
        create_triggers(connection)
        refill(connection)
