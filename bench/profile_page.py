"""Profile one page for one account in-process, on a database the harness seeded (SQLite, or PostgreSQL
with DATABASE_URL set to it): wall time and CPU time (on SQLite all of the work) over a few requests, the
query count, the slowest statements, and cProfile's top functions. For judging a fix on a loaded machine: the
same request before and after, with its queries and where its Python time goes.

    .venv/bin/python bench/profile_page.py city / --repeat 5 --top 25 [--name serve --tier S]
    DATABASE_URL=postgres://…/grassroots_bench_s13_m .venv/bin/python bench/profile_page.py city / --name s13

Runs with the benchmark's production settings (bench/harness.py's `production_env`), DEBUG off, through
Django's test client signed in as the account (with its two-factor device in the session, as the harness's
query counter does).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("user")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25, help="functions of the profile to print (0: none)")
    parser.add_argument("--sql", type=int, default=8, help="slowest statements to print")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--name", default="serve", help="the harness's --name of the seeded database")
    parser.add_argument("--tier", default="S")
    parser.add_argument("--htmx", action="store_true", help="ask as htmx does (a home block's placeholder)")
    args = parser.parse_args()

    from harness import signed_in_client, use_seeded

    use_seeded(args.name, args.tier)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.accounts.models import User

    user = User.objects.get(username=args.user)
    client = signed_in_client(user)
    floor = "/accounts/password/change/"
    client.get(floor)
    headers = {"HX-Request": "true"} if args.htmx else {}
    status = client.get(args.path, headers=headers).status_code  # warm-up
    times, floors, cpu, floor_cpu = [], [], [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(floor)
        floors.append(time.perf_counter() - started)
        floor_cpu.append(time.process_time() - started_cpu)
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(args.path, headers=headers)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    with CaptureQueriesContext(connection) as captured:
        client.get(args.path, headers=headers)
    ms = statistics.median(times) * 1000
    floor_ms = statistics.median(floors) * 1000
    print(
        f"{args.user} {args.path} ({connection.vendor}): status {status}, median {ms:.1f} ms over "
        f"{args.repeat} "
        f"(floor {floor_ms:.1f} ms, ×{ms / floor_ms:.1f}), {len(captured.captured_queries)} queries, "
        f"{sum(float(q['time']) for q in captured.captured_queries) * 1000:.1f} ms in SQL, load "
        f"{os.getloadavg()[0]:.1f}"
    )
    # CPU time (the process's): on SQLite the whole of the work, which a loaded machine does not stretch.
    cpu_ms, floor_cpu_ms = statistics.median(cpu) * 1000, statistics.median(floor_cpu) * 1000
    print(f"  CPU median {cpu_ms:.1f} ms (floor {floor_cpu_ms:.1f} ms, ×{cpu_ms / floor_cpu_ms:.1f})")
    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[: args.sql]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")

    def profiled(path: str, headers=None) -> pstats.Stats:
        profile = cProfile.Profile()
        profile.enable()
        client.get(path, headers=headers or {})
        profile.disable()
        return pstats.Stats(profile, stream=out)

    # Function calls are a measure the machine's load does not stretch: the page's against the floor's.
    out = io.StringIO()
    page_stats, floor_stats = profiled(args.path, headers), profiled(floor)
    print(
        f"  function calls: page {page_stats.total_calls}, floor {floor_stats.total_calls} "
        f"(×{page_stats.total_calls / floor_stats.total_calls:.1f})"
    )
    if args.top:
        page_stats.sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
