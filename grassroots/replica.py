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
(a service's checks before its transaction would read the replica)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


class _Block:
    """One `reads()` block: the models written during it (their reads go to `default` from then on)."""

    def __init__(self) -> None:
        self.written: set[str] = set()


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


def in_write_path() -> bool:
    """A transaction is open on `default`: its reads must see its own writes."""
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def _label(model) -> str:
    return model._meta.label_lower if model is not None else ""


def read_alias(model=None) -> str:
    """Where a read of `model` made now goes: the replica inside `reads()`, unless a transaction is open on
    `default` or the block has written that model (read after write)."""
    block = _block.get()
    if block is None or not configured() or in_write_path() or _label(model) in block.written:
        return DEFAULT_DB_ALIAS
    return REPLICA


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
