"""Time pages in-process on the database of DATABASE_URL (a demo database: `manage.py seed_demo --tier S`),
through Django's test client signed in as demo accounts, with the settings of the environment (DEBUG=1 for
the demo accounts): the median of many requests against the floor's (the password-change page, one for one),
the queries of one request, the query plan of its slowest statements (`EXPLAIN QUERY PLAN` on SQLite,
`EXPLAIN` on PostgreSQL), and the function calls of one request against the floor's (cProfile: a measure
the machine's load does not stretch). For a before and after of one change on a small database without a
harness run:

    DEBUG=1 DATABASE_URL=sqlite:////tmp/x.sqlite3 GRASSROOTS_VAR_DIR=/tmp/xvar \\
        .venv/bin/python bench/time_pages.py /members/ "/api/members/?search=王" --users secretary branch \\
        --repeat 50 --explain 2
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLOOR = "/accounts/password/change/"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", help="pages")
    parser.add_argument("--users", nargs="+", required=True, help="demo accounts (usernames)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=int, default=2, help="slowest statements to explain (0: none)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from grassroots.accounts.models import User

    for username in args.users:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in args.paths:
            measure(client, connection, username, path, args.repeat, args.explain)
    return 0


def measure(client, connection, username: str, path: str, repeat: int, explain: int) -> None:
    status = client.get(path).status_code  # warm-up
    client.get(FLOOR)
    times, floors = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(FLOOR)
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    statements: list[tuple[float, str, tuple]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(timed):
        client.get(path)
    ms, floor_ms = statistics.median(times) * 1000, statistics.median(floors) * 1000
    calls, floor_calls = function_calls(client, path), function_calls(client, FLOOR)
    print(
        f"{username} {path}: {status}, median {ms:.1f} ms over {repeat} "
        f"(floor {floor_ms:.1f} ms, ×{ms / floor_ms:.1f}), {len(statements)} queries, "
        f"{sum(s[0] for s in statements) * 1000:.1f} ms in SQL, function calls {calls} "
        f"(floor {floor_calls}, ×{calls / floor_calls:.1f}), load {os.getloadavg()[0]:.1f}"
    )
    for seconds, sql, params in sorted(statements, key=lambda s: -s[0])[:explain]:
        print(f"  {seconds * 1000:7.1f} ms  {sql[:600]}")
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            for row in cursor.fetchall():
                print("      " + " | ".join(str(c) for c in row))


def function_calls(client, path: str) -> int:
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls


if __name__ == "__main__":
    sys.exit(main())
