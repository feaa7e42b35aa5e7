"""The read replica (docs/scaling.md, docs/decisions.md "Reads go to the replica only where they are asked
for"): with `DATABASE_REPLICA_URL` set, settings add a database alias `replica` and this router.

Every query goes to `default` unless the code asks for the replica around a read that may be up to the
replication lag behind — the dashboard's figures, the list exports' rows, the home's cached figures:

    with replica.reads():
        totals = compute.totals(shown, area, year, today)

Inside `reads()`, a read still goes to `default` while a transaction is open on `default` (a service, a
`select_for_update`, the test case's own transaction), and a read of a model the block has written goes to
`default` from then on: a read in a write path, or after a write, must see the write. Writes always go to
`default`, and migrations run on `default` only (the replica gets the schema by replication). Without a
`replica` alias `reads()` changes nothing. Those are a net: `reads()` wraps read-only code, never a service
(a service's checks before its transaction would read the replica).

The lag: before a block's first read from the replica, the app asks the replica how far behind it is
(`lag_seconds()`, PostgreSQL's `pg_last_xact_replay_timestamp()`; one query, measured again at most every
`DATABASE_REPLICA_LAG_CHECK_SECONDS` per process). Past `DATABASE_REPLICA_MAX_LAG_SECONDS`, or when the
replica does not answer, the block reads from `default` (docs/scaling.md)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
MAX_LAG_SECONDS = 30.0
LAG_CHECK_SECONDS = 5.0
# On a standby: 0 when every WAL record received is replayed (an idle primary sends nothing, so the last
# replayed commit may be old while nothing is missing); else the age of the last replayed commit; NULL
# when nothing was replayed since the standby started. Not a standby (a primary, the test mirror): 0.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""

logger = logging.getLogger(__name__)


class _Block:
    """One `reads()` block: the models written during it (their reads go to `default` from then on)."""

    def __init__(self) -> None:
        self.written: set[str] = set()
        self.fresh: bool | None = None  # the replica is within the lag allowed (asked at the first read)


_block: ContextVar[_Block | None] = ContextVar("grassroots_replica_reads", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reads() -> Iterator[None]:
    """Route the reads of this block to the replica (when configured and no transaction is open). A nested
    block is part of the outer one."""
    if _block.get() is not None:
        yield
        return
    token = _block.set(_Block())
    try:
        yield
    finally:
        _block.reset(token)


class _LastLag:
    """The lag this process measured last, and when (time.monotonic())."""

    lock = threading.Lock()
    at: float = float("-inf")
    seconds: float | None = None


def lag_seconds() -> float | None:
    """How far behind the primary the replica is, in seconds: 0 when it has replayed all it received (or
    is not a standby, or not PostgreSQL, where the app cannot ask); None when it cannot say (nothing
    replayed yet) or does not answer. Measured again at most every `DATABASE_REPLICA_LAG_CHECK_SECONDS`."""
    every = getattr(settings, "DATABASE_REPLICA_LAG_CHECK_SECONDS", LAG_CHECK_SECONDS)
    with _LastLag.lock:
        if time.monotonic() - _LastLag.at < every:
            return _LastLag.seconds
    seconds: float | None = 0.0
    connection = connections[REPLICA]
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                value = cursor.fetchone()[0]
            seconds = None if value is None else float(value)
        except DatabaseError:
            logger.warning("the read replica did not answer: reading from the primary", exc_info=True)
            seconds = None
    with _LastLag.lock:
        _LastLag.at, _LastLag.seconds = time.monotonic(), seconds
    return seconds


def forget_lag() -> None:
    """Measure the lag again at the next block (tests, and after changing the settings)."""
    with _LastLag.lock:
        _LastLag.at, _LastLag.seconds = float("-inf"), None


def replica_fresh() -> bool:
    """The replica is within `DATABASE_REPLICA_MAX_LAG_SECONDS` of the primary (and answers)."""
    seconds = lag_seconds()
    allowed = getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", MAX_LAG_SECONDS)
    return seconds is not None and seconds <= allowed


def in_write_path() -> bool:
    """A transaction is open on `default`: its reads must see its own writes."""
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def _label(model) -> str:
    return model._meta.label_lower if model is not None else ""


def read_alias(model=None) -> str:
    """Where a read of `model` made now goes: the replica inside `reads()`, unless a transaction is open on
    `default`, the block has written that model (read after write), or the replica is too far behind."""
    block = _block.get()
    if block is None or not configured() or in_write_path() or _label(model) in block.written:
        return DEFAULT_DB_ALIAS
    if block.fresh is None:
        block.fresh = replica_fresh()
    return REPLICA if block.fresh else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when the replica is configured."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias(model)

    def db_for_write(self, model, **hints) -> str:
        block = _block.get()
        if block is not None:
            block.written.add(_label(model))
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
