"""Profile the home page's blocks one by one, in-process, on a database the harness seeded: for each block
the account's home shows (grassroots/portal/homes.py), its wall time, its queries and their SQL time, and its
function calls (cProfile), over a few requests; the page alone (its lazy blocks load on their own:
portal/homes.py) and the whole view, the page with each lazy block's request as the browser makes them, and
what is left of that beside the blocks' data (rendering, each request's own work). For finding which block
of an official's home costs what:

    .venv/bin/python bench/profile_home.py city county street --name m --tier M --repeat 5 [--sql 3]
    DATABASE_URL=postgres://…/grassroots_bench_m_m .venv/bin/python bench/profile_home.py city --tier M

Runs with the benchmark's production settings (bench/harness.py's `production_env`), DEBUG off, through
Django's test client signed in as the account with its two-factor device in the session (as
bench/profile_page.py does). Each block's `data` is wrapped for the run only; nothing is written.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("users", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", type=int, default=2, help="slowest statements to print per block")
    parser.add_argument("--name", default="m", help="the harness's --name of the seeded database")
    parser.add_argument("--tier", default="M")
    args = parser.parse_args()

    from harness import signed_in_client, use_seeded

    kind = "postgres" if use_seeded(args.name, args.tier).startswith("postgres") else "sqlite"
    import django

    django.setup()
    from django.db import connection

    from grassroots.accounts.models import User
    from grassroots.portal import homes

    wall: dict[str, list[float]] = defaultdict(list)
    sql: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}
    slowest: dict[str, list[tuple[float, str]]] = {}
    calls: dict[str, int] = {}
    state = {"profile": False}

    def wrapped(block):
        def data(request):
            statements: list[tuple[float, str]] = []

            def timed(execute, statement, params, many, context):
                started = time.perf_counter()
                try:
                    return execute(statement, params, many, context)
                finally:
                    statements.append((time.perf_counter() - started, statement))

            profile = cProfile.Profile() if state["profile"] else None
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                if profile is not None:
                    profile.enable()
                result = block.data(request)
                if profile is not None:
                    profile.disable()
            if profile is not None:
                calls[block.name] = pstats.Stats(profile).total_calls
                return result
            wall[block.name].append(time.perf_counter() - started)
            sql[block.name].append(sum(t for t, _ in statements))
            queries[block.name] = len(statements)
            slowest[block.name] = sorted(statements, reverse=True)[: args.sql]
            return result

        return data

    original = dict(homes._BLOCKS)
    for name, block in original.items():
        homes._BLOCKS[name] = homes.HomeBlock(
            name=name,
            template=block.template,
            data=wrapped(block),
            homes=block.homes,
            order=block.order,
            lazy=block.lazy,
        )
    htmx = {"HX-Request": "true"}

    def whole(client, lazy: list[str]) -> None:
        """The home as the browser shows it: the page, then each lazy block's own request."""
        client.get("/")
        for name in lazy:
            client.get(f"/home/blocks/{name}/", headers=htmx)

    floor = "/accounts/password/change/"
    for username in args.users:
        wall.clear(), sql.clear(), queries.clear(), slowest.clear(), calls.clear()
        user = User.objects.get(username=username)
        client = signed_in_client(user)
        home = homes.home_of(user)
        lazy = [b.name for b in homes.registered_blocks() if home in b.homes and b.lazy]
        client.get(floor)
        whole(client, lazy)  # warm-up
        wall.clear(), sql.clear()
        pages, views, floors = [], [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(floor)
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            client.get("/")
            pages.append(time.perf_counter() - started)
            whole(client, lazy)
            views.append(time.perf_counter() - started - pages[-1])
        profile = cProfile.Profile()  # the page's calls, the whole view's, then each block's on its own
        profile.enable()
        client.get("/")
        profile.disable()
        page_calls = pstats.Stats(profile).total_calls
        profile = cProfile.Profile()
        profile.enable()
        whole(client, lazy)
        profile.disable()
        view_calls = pstats.Stats(profile).total_calls
        profile = cProfile.Profile()
        profile.enable()
        client.get(floor)
        profile.disable()
        floor_calls = pstats.Stats(profile).total_calls
        state["profile"] = True
        whole(client, lazy)
        state["profile"] = False
        page, floor_ms = statistics.median(pages) * 1000, statistics.median(floors) * 1000
        view = statistics.median(views) * 1000
        print(
            f"\n{username} / ({kind}): the page {page:.1f} ms, floor {floor_ms:.1f} ms, "
            f"×{page / floor_ms:.1f}; "
            f"function calls {page_calls} (×{page_calls / floor_calls:.1f} the floor's {floor_calls}); "
            f"the page with its {len(lazy)} lazy blocks' requests {view:.1f} ms, {view_calls} calls; "
            f"load {os.getloadavg()[0]:.1f}"
        )
        print(f"  {'block':28} {'ms':>8} {'SQL ms':>8} {'queries':>7} {'calls':>8}")
        for name in sorted(wall, key=lambda n: -statistics.median(wall[n])):
            print(
                f"  {name:28} {statistics.median(wall[name]) * 1000:8.1f} "
                f"{statistics.median(sql[name]) * 1000:8.1f} {queries[name]:7d} {calls.get(name, 0):8d}"
            )
            for seconds, statement in slowest[name]:
                if seconds * 1000 >= 1:
                    print(f"      {seconds * 1000:7.1f} ms  {statement[:300]}")
        blocks = sum(statistics.median(v) for v in wall.values()) * 1000
        print(
            f"  {'(blocks together)':28} {blocks:8.1f}; the rest (the page and the blocks' requests) "
            f"{view - blocks:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
