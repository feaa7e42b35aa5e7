"""Profile the vote burst's request in-process: ballots cast through the ballot form (`/voting/<pk>/cast/`)
by distinct verified residents, each signed in with a session of their own, as `harness.py`'s burst does, on
a database the harness seeded (SQLite). Per ballot: CPU time, wall time, the queries (grouped by table and
kind), and cProfile's function calls with the top functions — measures the machine's load does not stretch.

    .venv/bin/python bench/profile_ballot.py --ballots 40 --name pio [--tier S] [--top 30]

Creates a vote and `--ballots` voters with `harness.prepare_worker` (as the burst does), then casts one ballot
per voter: the first few warm up, the rest are measured, the last `--profiled` under cProfile.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def shape(sql: str) -> str:
    """A query's kind and table, to group the queries of a ballot."""
    kind = sql.split(None, 1)[0].upper() if sql.strip() else "?"
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    return f"{kind} {table.group(1) if table else ''}".strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profiled", type=int, default=10)
    parser.add_argument("--top", type=int, default=30, help="functions of the profile to print (0: none)")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--name", default="serve", help="the harness's --name of the seeded database")
    parser.add_argument("--tier", default="S")
    parser.add_argument("--dump", help="write cProfile's stats to this file (for pstats or snakeviz)")
    parser.add_argument("--show-sql", action="store_true", help="print the statements of the last ballot")
    args = parser.parse_args()

    from harness import prepare_worker, production_env

    url = f"sqlite:////tmp/grassroots-bench-{args.name}-{args.tier}.sqlite3"
    os.environ.update(production_env(url, Path(f"/tmp/grassroots-bench-{args.name}-var-sqlite")))
    prepared = prepare_worker(args.ballots)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.voting.models import Ballot

    vote, options = prepared["vote"], prepared["options"]
    path = f"/voting/{vote}/cast/"

    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})  # one handler, as a worker

    def cast(i: int) -> int:
        client.cookies.clear()
        client.cookies["sessionid"] = prepared["sessions"][i]
        # Each voter from an address of their own, as in a real vote: one address casting more than 30
        # ballots a minute is slowed down (voting/limits.py, `ballot_address`: 429).
        address = f"10.0.{i // 256}.{i % 256}"
        return client.post(path, {"options": str(options[i % len(options)])}, REMOTE_ADDR=address).status_code

    n = len(prepared["sessions"])
    measured = range(args.warmup, n - args.profiled)
    for i in range(args.warmup):
        assert cast(i) == 200
    cpu, wall, queries = [], [], collections.Counter()
    counts = []
    for i in measured:
        started, process = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            status = cast(i)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - process)
        assert status == 200, status
        counts.append(len(captured.captured_queries))
        last_sql = [q["sql"] for q in captured.captured_queries]  # read now: each request resets the log
        queries.update(shape(sql) for sql in last_sql)
    out = io.StringIO()
    profile = cProfile.Profile()
    for i in range(n - args.profiled, n):
        profile.enable()
        status = cast(i)
        profile.disable()
        assert status == 200, status
    stats = pstats.Stats(profile, stream=out)
    if args.dump:
        stats.dump_stats(args.dump)
    m = len(measured)
    print(
        f"{m} ballots ({path}): CPU median {statistics.median(cpu) * 1000:.1f} ms, wall median "
        f"{statistics.median(wall) * 1000:.1f} ms, queries {min(counts)}–{max(counts)} per ballot, "
        f"function calls {stats.total_calls / args.profiled:,.0f} per ballot (cProfile over "
        f"{args.profiled}), load {os.getloadavg()[0]:.1f}; ballots in the vote: "
        f"{Ballot.objects.filter(vote_id=vote).count()}"
    )
    for key, count in sorted(queries.items(), key=lambda kv: -kv[1]):
        print(f"  {count / m:5.1f} × {key}")
    if args.show_sql:
        for sql in last_sql:
            print(f"    {sql[:300]}")
    if args.top:
        stats.sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
