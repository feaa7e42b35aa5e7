"""Racing requests on a server database (PostgreSQL): one shared scaffold for the concurrency tests.

`race(act, args)` starts one thread per item of `args`, holds them at a barrier so they all call `act(arg)` at
the same moment, each on its own database connection (Django opens one per thread; each thread closes its
own when done), and returns how each ended: "ok", "refused:<code>" for a ValidationError (the answer a person
may get), or "error:<type>:<text>" for anything else (what nobody may ever get). Order of the outcomes is the
order the threads finished in.

Tests using it need `pytest.mark.django_db(transaction=True)` (the threads must see committed rows) and
`server_db_only` (SQLite serialises writers, so nothing races there).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

server_db_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database for concurrency"
)


def race(act: Callable, args: Iterable) -> list[str]:
    args = list(args)
    barrier = threading.Barrier(len(args))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(arg):
        try:
            barrier.wait()
            act(arg)
            result = "ok"
        except ValidationError as exc:
            result = "refused:" + (exc.code or "")
        except Exception as exc:  # what a user must never get
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
