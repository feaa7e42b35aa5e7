"""The two databases' full-text indexes over `SearchEntry.text` (words already segmented by text.py, one
space between them), and the condition that keeps the entries holding every word of a query as a prefix.

SQLite: an FTS5 table with external content (`search_fts`, rowid = the entry's id), kept in step with
`search_searchentry` by three triggers, so every write of the entry table (ORM, bulk, flush) reaches it.
Query: `"w1"* "w2"*` (each word quoted: no FTS syntax passes from the user).

PostgreSQL: a GIN index on `array_to_tsvector(string_to_array(text, ' '))` — the words as they are, without
a text-search parser (which would split them again and, under a C locale, drop Chinese characters);
query: `'w1':* & 'w2':*` cast to tsquery, the same words on both sides.

The structures are created after every `migrate` (post_migrate, idempotent), which also covers test
databases built without migrations; migration 0001 creates them too.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import FloatField, Q, Value
from django.db.models.expressions import RawSQL

TABLE = "search_searchentry"
FTS = "search_fts"

SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(text, content='{TABLE}', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text);"
    f" INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
]
POSTGRES = [
    f"CREATE INDEX IF NOT EXISTS search_entry_words ON {TABLE}"
    " USING GIN (array_to_tsvector(string_to_array(text, ' ')))",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {FTS}"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_entry_words"]


def statements(vendor: str, drop: bool = False) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE
    if vendor == "postgresql":
        return POSTGRES_DROP if drop else POSTGRES
    return []


def create(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor):
            cursor.execute(sql)


def ensure_structures(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the full-text structures exist (once the entry table does)."""
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        create(connection)


def rebuild_structures(using: str = "default") -> None:
    """SQLite: refill the FTS table from the entries (after a restore that bypassed the triggers)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def _sqlite_query(words: list[str]) -> str:
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _postgres_query(words: list[str]) -> str:
    return " & ".join("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)


def matching_q(words: list[str], using: str = "default") -> Q:
    """Entries holding every one of `words` (each as a word prefix); nothing when there is no word."""
    if not words:
        return Q(pk__in=[])
    vendor = connections[using].vendor
    if vendor == "sqlite":
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
        return Q(pk__in=RawSQL(sql, [_sqlite_query(words)]))
    if vendor == "postgresql":
        sql = f"SELECT id FROM {TABLE} WHERE array_to_tsvector(string_to_array(text, ' ')) @@ %s::tsquery"
        return Q(pk__in=RawSQL(sql, [_postgres_query(words)]))
    # another database: every word as a substring (slow, correct)
    q = Q()
    for word in words:
        q &= Q(text__contains=word)
    return q


def relevance(words: list[str], using: str = "default"):
    """An expression to order matching entries by, the most relevant first (ascending). SQLite: FTS5's
    bm25() of the entry for the query (negative; lower is better). PostgreSQL: ts_rank of the entry's words
    for the query, divided by the number of its words (normalisation 2: a short text holding the words ranks
    above a long one that mentions them once; the words carry no positions, so frequency does not count),
    negated. Another database: a constant."""
    vendor = connections[using].vendor
    if vendor == "sqlite" and words:
        sql = f"(SELECT bm25({FTS}) FROM {FTS} WHERE {FTS} MATCH %s AND {FTS}.rowid = {TABLE}.id)"
        return RawSQL(sql, [_sqlite_query(words)], output_field=FloatField())
    if vendor == "postgresql" and words:
        sql = f"-ts_rank(array_to_tsvector(string_to_array({TABLE}.text, ' ')), %s::tsquery, 2)"
        return RawSQL(sql, [_postgres_query(words)], output_field=FloatField())
    return Value(0.0, output_field=FloatField())
