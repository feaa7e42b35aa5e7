"""The cost of the audit hash chain: writing N access events (each its own transaction, as a sign-in is)
and verifying the chain, on a fresh database.

    .venv/bin/python bench/audit_chain.py            # SQLite, /tmp/grassroots-bench-chain.sqlite3
    .venv/bin/python bench/audit_chain.py --n 20000 --pg-url postgres://postgres@127.0.0.1/grassroots_bench_chain

Prints the time per write, the queries of one write (the chain adds four: read back, lock the head, the link,
the head) and the verification rate (links per second)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--pg-url", default="")
    args = parser.parse_args()
    if args.pg_url:
        name = args.pg_url.rsplit("/", 1)[1]
        server = args.pg_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", server, "-qc", sql], check=True)
        url = args.pg_url
    else:
        path = Path("/tmp/grassroots-bench-chain.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="grassroots.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from grassroots.audit import chain
    from grassroots.audit.models import AuditEvent
    from grassroots.audit.services import record_access

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    for i in range(args.n):
        record_access(kind=AuditEvent.Kind.LOGIN_FAILED, username=f"user{i}")
    write = time.perf_counter() - start
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        record_access(kind=AuditEvent.Kind.LOGIN_FAILED, username="one more")
    start = time.perf_counter()
    outcome = chain.verify()
    verify = time.perf_counter() - start
    statements = [
        q["sql"].split()[0] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")
    ]
    print(f"database: {connection.vendor}")
    print(f"write: {args.n} events in {write:.1f} s, {1000 * write / args.n:.2f} ms each")
    print(f"one write: {len(statements)} statements ({', '.join(statements)})")
    rate = outcome.checked / verify
    print(f"verify: {outcome.checked} links in {verify:.2f} s, {rate:,.0f} links/s, ok={outcome.ok}")


if __name__ == "__main__":
    main()
