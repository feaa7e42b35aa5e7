"""Benchmark: every registered figure (grassroots/figures/registry.py) computed as the dashboard computes it,
for the city, a county, a street and a community of a seeded benchmark database — the slowest first.

    .venv/bin/python bench/figures_sweep.py --name X --tier M      # the SQLite file of `harness.py --name X`
    DATABASE_URL=postgres://…/grassroots_bench_x_m .venv/bin/python bench/figures_sweep.py --name X --tier M

`bench/rollups.py` compares the roll-up of the figures it knows with a bare aggregate; this sweep has no bare
statement, but it misses no figure: a part that registers one is in it at once. Each figure's
`compute.breakdown` (its total, the area's own rows and every child: what the dashboard and the home show)
after one warm-up, the median of --repeat runs, wall and the process's CPU (on SQLite the whole of the work).
A figure over --flag ms at any scope is marked: find its statement with `bench/profile_page.py` and fix it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--name", default="serve")
    parser.add_argument("--tier", default="M", type=str.upper, choices=["S", "M", "L"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flag", type=float, default=500.0, help="mark a figure slower than this (ms)")
    parser.add_argument("--only", nargs="*", default=[], help="figure names (default: every registered one)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    import harness

    url = harness.use_seeded(args.name, args.tier)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from grassroots.areas.models import Area
    from grassroots.figures import compute, registry

    scopes = []
    for depth, label in ((1, "city"), (2, "county"), (3, "street"), (4, "community")):
        area = Area.objects.filter(depth=depth, retired=False).order_by("path").first()
        if area is not None:
            scopes.append((label, area))
    year = timezone.localdate().year
    rows = []
    for definition in registry.definitions():
        if args.only and definition.name not in args.only:
            continue
        line = {"name": definition.name, "times": {}}
        for label, area in scopes:
            compute.breakdown(definition, area, year)  # warm-up
            walls, cpus = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                compute.breakdown(definition, area, year)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - started_cpu) * 1000)
            line["times"][label] = (statistics.median(walls), statistics.median(cpus))
        rows.append(line)
        print(
            definition.name,
            " ".join(f"{label} {wall:.0f}/{cpu:.0f}" for label, (wall, cpu) in line["times"].items()),
            flush=True,
        )
    rows.sort(key=lambda r: -max(wall for wall, _ in r["times"].values()))
    labels = [label for label, _ in scopes]
    where = url.split("@")[-1]
    print(f"\n{connection.vendor} ({where}), {len(rows)} figures, wall / CPU ms, median of {args.repeat}\n")
    print("| figure | " + " | ".join(labels) + " | |")
    print("| --- | " + " | ".join("---:" for _ in labels) + " | --- |")
    for row in rows:
        slow = max(wall for wall, _ in row["times"].values()) > args.flag
        cells = [f"{row['times'][label][0]:.0f} / {row['times'][label][1]:.0f}" for label in labels]
        print(f"| {row['name']} | " + " | ".join(cells) + (" | **slow** |" if slow else " | |"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
