"""Benchmark: every roll-up figure of the platform against a hand-written bare SQL aggregate of the same.

    .venv/bin/python bench/rollups.py --sqlite /tmp/grassroots-M.sqlite3 --pg-url postgres://…/grassroots_m
    .venv/bin/python bench/rollups.py --seed-sqlite /tmp/grassroots-M.sqlite3     # seed tier M there first

Each database must hold the demo data (`manage.py seed_demo --tier M`, with every step; `--seed-sqlite` /
`--seed-pg` migrate and seed a fresh one first, which takes minutes). A worker process per database runs
`ANALYZE`, then for each figure the platform's function (grassroots/areas/rollup.py and its callers) and
the bare aggregate: one statement grouped by the prefix of the area path, as one would write it by hand. It
checks that both give the same numbers, and times each (one warm-up, then --repeat runs of each, alternately;
the median). On PostgreSQL the bare statement runs with `jit = off`, as the platform's connections do
(settings). Results: bench/results/<date>-rollups.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- the worker -------------------------------------------------------------------------------------------


def timed_pair(first, second, repeat: int) -> tuple[float, object, float, object, float, float]:
    """Medians (ms) and results of two functions, run alternately (so that a change in the machine's load
    falls on both), after one warm-up run each; then the medians of their CPU time (the worker's process
    time: on SQLite the whole of the work, the database being in the process; on PostgreSQL only the
    client's side). On a loaded machine a call is often descheduled: wall times spread, CPU times do not."""
    results = (first(), second())
    runs: tuple[list, list] = ([], [])
    cpu: tuple[list, list] = ([], [])
    for _ in range(repeat):
        for fn, times, cpus in zip((first, second), runs, cpu, strict=True):
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - started_cpu) * 1000)
    return (
        statistics.median(runs[0]),
        results[0],
        statistics.median(runs[1]),
        results[1],
        statistics.median(cpu[0]),
        statistics.median(cpu[1]),
    )


def normal(rows: dict) -> dict:
    """{prefix: {figure: int}} without all-zero lines (the platform lists empty live children)."""
    return {
        prefix: {k: int(v or 0) for k, v in values.items()}
        for prefix, values in rows.items()
        if any(values.values())
    }


def worker(repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection

    import bench.rollup_sql as bare
    from grassroots.areas.models import Area, Level

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def run_bare(sql_params):
        sql, params = sql_params
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET jit = off")
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            rows = {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}
            if connection.vendor == "postgresql":
                cursor.execute("RESET jit")
        return rows

    city = Area.objects.get(depth=1)
    counties = list(Area.objects.filter(level=Level.COUNTY).order_by("path"))
    out = []
    for name, at, platform_fn, bare_query in bare.figures(city, counties):
        platform_ms, mine, bare_ms, theirs, platform_cpu, bare_cpu = timed_pair(
            platform_fn, lambda q=bare_query: run_bare(q), repeat
        )
        mine, theirs = normal(mine), normal(theirs)
        out.append(
            {
                "figure": name,
                "at": at,
                "lines": len(theirs),
                "platform_ms": platform_ms,
                "bare_ms": bare_ms,
                "ratio": platform_ms / bare_ms if bare_ms else 0,
                "platform_cpu": platform_cpu,
                "bare_cpu": bare_cpu,
                "cpu_ratio": platform_cpu / bare_cpu if bare_cpu else 0,
                "equal": mine == theirs,
                "diff": "" if mine == theirs else f"{mine} != {theirs}"[:300],
            }
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM areas_area")
        areas = cursor.fetchone()[0]
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    return {
        "server": f"{connection.vendor} {version}",
        "areas": areas,
        "load": os.getloadavg(),
        "figures": out,
    }


# --- the driver -------------------------------------------------------------------------------------------


def _env(url: str) -> dict:
    # Development settings (DEBUG on: no production secrets needed); the worker turns DEBUG off after setup.
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "grassroots.settings", "DEBUG": "1"}


def seed(url: str) -> None:
    env = _env(url)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo", "--tier", "M"], cwd=ROOT, env=env, check=True)


def run_worker(url: str, repeat: int) -> dict:
    env = _env(url)
    cmd = [sys.executable, __file__, "--worker", "--repeat", str(repeat)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def report(results: list[dict], args) -> str:
    lines = [
        f"# Roll-ups against bare SQL ({datetime.date.today().isoformat()})",
        "",
        f"`bench/rollups.py --repeat {args.repeat}` on {platform.platform()},"
        f" Python {platform.python_version()}, {os.cpu_count()} CPUs.",
        "Median of the runs in ms; ratio = platform / bare. CPU: the worker's process time (on SQLite all"
        " of the work; on PostgreSQL the client's share only, so its CPU ratio is not the figure's).",
    ]
    for r in results:
        load = ", ".join(f"{x:.1f}" for x in r["load"])
        lines += [
            "",
            f"## {r['server']}: {r['areas']:,} areas (load average {load} after the run)",
            "",
            "| figure | at | lines | platform (ms) | bare (ms) | ratio | platform CPU (ms) | bare CPU (ms) "
            "| CPU ratio | same numbers |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for f in r["figures"]:
            same = "yes" if f["equal"] else f"**no**: {f['diff']}"
            lines.append(
                f"| {f['figure']} | {f['at']} | {f['lines']} | {f['platform_ms']:.1f} | {f['bare_ms']:.1f} "
                f"| {f['ratio']:.2f} | {f['platform_cpu']:.1f} | {f['bare_cpu']:.1f} | {f['cpu_ratio']:.2f} "
                f"| {same} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", type=Path, help="a seeded SQLite file")
    parser.add_argument("--pg-url", help="a seeded PostgreSQL database")
    parser.add_argument("--seed-sqlite", type=Path, help="migrate and seed tier M into this new file first")
    parser.add_argument("--seed-pg", help="migrate and seed tier M into this (empty) database first")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, help="default bench/results/<date>-rollups.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.repeat), ensure_ascii=False))
        return 0

    urls = []
    if args.seed_sqlite:
        seed(f"sqlite:///{args.seed_sqlite.resolve()}")
        args.sqlite = args.seed_sqlite
    if args.seed_pg:
        seed(args.seed_pg)
        args.pg_url = args.seed_pg
    if args.sqlite:
        urls.append(f"sqlite:///{args.sqlite.resolve()}")
    if args.pg_url:
        urls.append(args.pg_url)
    if not urls:
        parser.error("give --sqlite and/or --pg-url (or --seed-sqlite / --seed-pg)")
    results = []
    for url in urls:
        print(f"{url.split('@')[-1]} …", file=sys.stderr, flush=True)
        results.append(run_worker(url, args.repeat))
    out = args.out or ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-rollups.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(results, args), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
