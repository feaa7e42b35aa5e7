"""The compliance page's per-branch statement alone (grassroots/core/orglife/selectors/compliance.py
`_per_branch`), for the scope the page gives each account: its rows, wall and CPU time (the fastest of
--repeat runs: a loaded machine stretches the median), and with --explain PostgreSQL's EXPLAIN ANALYZE.

    .venv/bin/python bench/compliance_sql.py street county city secretary --name s13 --tier M
    DATABASE_URL=postgres://…/grassroots_bench_s13_m .venv/bin/python bench/compliance_sql.py street --explain

Runs with the benchmark's production settings (bench/harness.py's `production_env`) on a seeded database,
reading only.
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("users", nargs="+")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--explain", action="store_true", help="PostgreSQL: print EXPLAIN ANALYZE")
    parser.add_argument("--name", default="s13", help="the harness's --name of the seeded database")
    parser.add_argument("--tier", default="M")
    args = parser.parse_args()

    from harness import use_seeded

    use_seeded(args.name, args.tier)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import F
    from django.test import RequestFactory
    from django.utils import timezone

    from grassroots.accounts.models import User
    from grassroots.core.orglife.exports import compliance_rows
    from grassroots.core.orglife.selectors.compliance import _per_branch

    today = timezone.localdate()
    for name in args.users:
        request = RequestFactory().get("/orglife/")
        request.user = User.objects.get(username=name)
        period, _area, branches = compliance_rows(request)
        values = branches.order_by().values("id", "name", "created_at", rollup_path=F("area__path"))
        sql, params = _per_branch(*values.query.sql_with_params(), period, today, branches.db)
        walls, cpus = [], []
        for i in range(args.repeat + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            if i:  # the first run warms the caches
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - started_cpu)
        print(
            f"{name} ({connection.vendor}, {period.key}): {len(rows)} branches, "
            f"wall {min(walls) * 1000:.1f} ms, CPU {min(cpus) * 1000:.1f} ms (fastest of {args.repeat})"
        )
        if args.explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql, params)
                print("\n".join(line for (line,) in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
