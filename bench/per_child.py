"""Coverage per child area (`coverage.selectors.by_child_area`, on `areas.rollup.per_child`) against its bare
statement, in one process on a seeded database:

    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/per_child.py --repeat 300

For the city and for a county: the platform's call (the figures per child and the child areas, as the
/coverage/ page uses them) and `bench/rollup_sql.coverage_sql` (the figures only, grouped by prefix, as one
would write them by hand), run alternately after a warm-up; the median CPU time (process time: the machine is
shared, so wall time is noisier) and wall time of each, the queries of one call, and whether the numbers
agree. `BENCH_ROOT=/path/to/other/checkout` times that checkout's code on the same database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")

KEYS = ("total", "covered", "own", "joint", "instructor", "flagged")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import bench.rollup_sql as bare
    from grassroots.areas.models import Area, Level
    from grassroots.core.coverage import selectors
    from grassroots.core.coverage.models import Entity

    city = Area.objects.get(level=Level.CITY)
    county = Area.objects.filter(level=Level.COUNTY).order_by("path").first()
    print(
        f"code: {ROOT}; {connection.vendor}; {Entity.objects.count()} entities; load {os.getloadavg()[0]:.1f}"
    )
    print(
        "| at | lines | platform CPU ms | bare CPU ms | ratio (CPU) | platform wall ms | bare wall ms "
        "| queries | same |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for area in (city, county):
        width = len(area.path) + area.steplen

        def platform(area=area):
            return {
                (c.area.path if c.area else area.path): {k: getattr(c, k) for k in KEYS}
                for c in selectors.by_child_area(Entity.objects.all(), area)
            }

        def run_bare(area=area, width=width):
            sql, params = bare.coverage_sql(area.path, width)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return {row[0]: dict(zip(KEYS, map(int, row[1:]), strict=True)) for row in cursor.fetchall()}

        with CaptureQueriesContext(connection) as queries:
            mine = platform()
        theirs = run_bare()
        same = {p: v for p, v in mine.items() if any(v.values())} == theirs
        cpu, wall = ([], []), ([], [])
        for _ in range(args.repeat):
            for i, fn in enumerate((platform, run_bare)):
                c0, w0 = time.process_time(), time.perf_counter()
                fn()
                cpu[i].append((time.process_time() - c0) * 1000)
                wall[i].append((time.perf_counter() - w0) * 1000)
        p_cpu, b_cpu = statistics.median(cpu[0]), statistics.median(cpu[1])
        print(
            f"| {area.name} | {len(mine)} | {p_cpu:.2f} | {b_cpu:.2f} | {p_cpu / b_cpu:.1f} "
            f"| {statistics.median(wall[0]):.2f} | {statistics.median(wall[1]):.2f} | {len(queries)} "
            f"| {'yes' if same else 'no'} |"
        )


if __name__ == "__main__":
    main()
