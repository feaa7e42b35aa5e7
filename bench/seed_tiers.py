"""Benchmark: seed the demo tiers into fresh databases and time the tree queries every page depends on.

    .venv/bin/python bench/seed_tiers.py                       # tier M on SQLite and PostgreSQL
    .venv/bin/python bench/seed_tiers.py --tiers M L --databases sqlite
    .venv/bin/python bench/seed_tiers.py --pg-url postgres://postgres@127.0.0.1/grassroots_bench

For every (database, tier) a worker process gets a fresh database (a new SQLite file under /tmp, or a
PostgreSQL database dropped and created again), migrates it, runs the foundation seed steps (areas, Party
organizations, demo accounts, residents; --all-steps adds the steps other apps registered) and times:

- the tree page: the children of a node (treebeard `get_children`, what the expandable tree loads);
- "everything under X": a path-prefix count (`path__startswith`, what the scoping function emits) at the
  city, county and street levels, the same count written as a path range, and prefix counts through a join
  (Party organizations, residents by home area);
- the breadcrumb of a building (`Area.ancestors_with_self`).

Each query runs once to warm up, then --repeat times; the table shows the median and the slowest run.
The results are written to bench/results/<date>-seed.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDATION = ("areas", "party_orgs", "users", "residents")
PLACES = {"city": "511800", "county": "511802", "street": "511802001", "community": "511802001001"}


# --- the worker: runs inside one fresh database --------------------------------------------------------


def timed(fn, repeat: int) -> dict:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(runs), "max_ms": max(runs), "result": fn()}


def explain(queryset) -> str:
    """The plan's scan and join nodes on one line, without costs (SQLite: EXPLAIN QUERY PLAN; PostgreSQL:
    EXPLAIN)."""
    nodes = []
    for line in queryset.explain().splitlines():
        line = re.sub(r"\(cost=[^)]*\)", "", line)
        line = re.sub(r"^[\d\s]+", "", line.strip(" -`|>")).strip(" ->")
        if re.search(r"Scan|SCAN|SEARCH|Join|Index Cond|Filter|USE TEMP", line):
            nodes.append(re.sub(r"\s+", " ", line))
    return " / ".join(nodes)[:160]


def worker(tier: str, seed: int, repeat: int, all_steps: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Settings load as in development (DEBUG on: no production secrets needed); DEBUG then goes off so that
    # Django does not keep the SQL of every bulk insert in memory.
    settings.DEBUG = False
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from grassroots.accounts.models import User
    from grassroots.areas.models import Area, Level, PartyOrg
    from grassroots.demo.registry import SeedContext, autodiscover, registered_steps, run_steps
    from grassroots.demo.tiers import TIERS

    result: dict = {"tier": tier, "vendor": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    result["migrate_s"] = time.perf_counter() - started

    autodiscover()
    steps = [s for s in registered_steps() if all_steps or s.name in FOUNDATION]
    ctx = SeedContext(
        seed=seed, tier=TIERS[tier], log=lambda _msg: None, password_hash=make_password("bench")
    )
    result["load_before"] = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    run_steps(ctx, steps)
    result["seed_s"] = time.perf_counter() - started
    done = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time of this Python process only (a PostgreSQL server's own work is not in it).
    result["seed_cpu_s"] = done.ru_utime - cpu.ru_utime + done.ru_stime - cpu.ru_stime
    result["load_after"] = os.getloadavg()[0]
    result["steps_s"] = ctx.timings
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    result["rows"] = {
        str(Level(level).label): n
        for level, n in Area.objects.values_list("level").annotate(n=Count("id")).order_by("level")
    }
    result["rows"]["党组织"] = PartyOrg.objects.count()
    result["rows"]["用户"] = User.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            cursor.execute("SELECT version()")
            result["server"] = " ".join(cursor.fetchone()[0].split()[:2])
        else:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT sqlite_version()")
            result["server"] = "SQLite " + cursor.fetchone()[0]

    places = {key: Area.objects.get(code=code) for key, code in PLACES.items()}
    building = Area.objects.filter(path__startswith=places["community"].path, level=Level.BUILDING).first()
    queries: list[dict] = []

    def count(qs) -> int:
        return qs.count()

    def measure(name: str, level: str, make_qs, evaluate) -> None:
        measured = timed(lambda: evaluate(make_qs()), repeat)
        qs = make_qs()
        plan_qs = qs if evaluate is not count else qs.order_by().values("pk")  # what COUNT(*) reads
        queries.append({"query": name, "at": level, **measured, "plan": explain(plan_qs)})

    for key in ("city", "county", "street", "community"):
        node = places[key]
        measure(
            "tree page: children of a node",
            key,
            lambda node=node: Area.objects.get_children(node).values(
                "id", "name", "level", "numchild", "code"
            ),
            lambda qs: len(list(qs)),
        )
    for key in ("city", "county", "street"):
        node = places[key]
        measure(
            "areas under X (path__startswith)",
            key,
            lambda node=node: Area.objects.filter(path__startswith=node.path),
            count,
        )
        measure(
            "areas under X (path range)",
            key,
            lambda node=node: Area.objects.filter(path__gte=node.path, path__lt=node.path + "~"),
            count,
        )
        measure(
            "Party orgs under X (join, startswith)",
            key,
            lambda node=node: PartyOrg.objects.filter(area__path__startswith=node.path),
            count,
        )
        measure(
            "residents under X (join, startswith)",
            key,
            lambda node=node: User.objects.filter(home_area__path__startswith=node.path),
            count,
        )
    if building is not None:
        queries.append(
            {
                "query": "breadcrumb of a building",
                "at": "building",
                **timed(lambda: len(building.ancestors_with_self()), repeat),
                "plan": "",
            }
        )
    result["queries"] = queries
    return result


# --- the orchestrator: fresh databases, workers, the report --------------------------------------------


def fresh_sqlite(tier: str) -> str:
    path = Path(f"/tmp/grassroots-bench-{tier}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres(pg_url: str, tier: str) -> str:
    import psycopg

    base, _, _name = pg_url.rpartition("/")
    name = f"grassroots_bench_{tier.lower()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_worker(database_url: str, tier: str, args) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "DEBUG": "1",
        "GRASSROOTS_VAR_DIR": "/tmp/grassroots-bench-var",
    }
    command = [sys.executable, __file__, "--worker", "--tiers", tier, "--seed", str(args.seed)]
    command += ["--repeat", str(args.repeat)] + (["--all-steps"] if args.all_steps else [])
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker failed ({tier}, {database_url}):\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    return result


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(results: list[dict], args) -> str:
    lines = [
        f"# Seed benchmark, {datetime.date.today().isoformat()}",
        "",
        f"`python bench/seed_tiers.py --tiers {' '.join(args.tiers)} --databases {' '.join(args.databases)}`"
        f" · seed {args.seed} · {args.repeat} runs per query · commit {git_commit()} (plus the working tree)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Steps: "
        f"{'all registered' if args.all_steps else ', '.join(FOUNDATION)}.",
        "",
        "## Seeding",
        "",
        "| database | tier | areas | Party orgs | users | seed (s) | Python CPU (s) | per step (s) "
        "| RSS (MB) | load avg |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for r in results:
        areas = sum(n for label, n in r["rows"].items() if label not in ("党组织", "用户"))
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps_s"].items())
        lines.append(
            f"| {r['server']} | {r['tier']} | {areas:,} | {r['rows']['党组织']:,} | {r['rows']['用户']:,} "
            f"| {r['seed_s']:.1f} | {r['seed_cpu_s']:.1f} | {steps} | {r['maxrss_mb']:.0f} "
            f"| {r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    lines += ["", "Areas by level:", ""]
    for r in results:
        levels = ", ".join(f"{k} {v:,}" for k, v in r["rows"].items() if k not in ("党组织", "用户"))
        lines.append(f"- {r['server']}, tier {r['tier']}: {levels}")
    for r in results:
        lines += [
            "",
            f"## Queries: {r['server']}, tier {r['tier']}",
            "",
            "| query | at | rows / count | median (ms) | slowest (ms) | plan |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        for q in r["queries"]:
            plan = q["plan"].replace("|", "/")
            lines.append(
                f"| {q['query']} | {q['at']} | {q['result']:,} | {q['median_ms']:.2f} | {q['max_ms']:.2f} "
                f"| {plan} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tiers", nargs="+", default=["M"], type=str.upper, choices=["S", "M", "L"])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1/grassroots_bench"),
        help="a PostgreSQL URL; the database name is replaced by grassroots_bench_<tier>",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--all-steps", action="store_true", help="also the steps other apps registered")
    parser.add_argument("--out", type=Path, help="default bench/results/<date>-seed.md")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.tiers[0], args.seed, args.repeat, args.all_steps), ensure_ascii=False))
        return 0

    results = []
    for database in args.databases:
        for tier in args.tiers:
            url = fresh_sqlite(tier) if database == "sqlite" else fresh_postgres(args.pg_url, tier)
            print(f"{database} tier {tier} …", file=sys.stderr, flush=True)
            result = run_worker(url, tier, args)
            print(
                f"  seeded in {result['seed_s']:.1f} s, peak {result['maxrss_mb']:.0f} MB",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
    out = args.out or ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-seed.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(results, args), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
