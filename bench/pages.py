"""Time pages as the demo accounts see them, on a seeded database (the demo tier by default).

    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python manage.py seed_demo
    DEBUG=1 DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/pages.py /orglife/ /coverage/ \\
        --users city county street --repeat 5

For each page and user: one warm-up request, then `--repeat` timed ones through Django's test client (the
whole request: middleware, views, templates; no network), their median and fastest, the queries of the last
one and the response's size. Compare a scope with its children's (the city with a county): a page that
aggregates over the path prefix costs about the same at every scope.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--users", nargs="+", default=["city", "county", "street"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    print(f"load average {os.getloadavg()[0]:.1f}; {connection.vendor}")
    print("| page | user | median ms | fastest ms | queries | KB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for url in args.urls:
        for name in args.users:
            client = Client()
            client.force_login(get_user_model().objects.get(username=name))
            assert client.get(url).status_code == 200, (url, name)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append(time.perf_counter() - start)
            print(
                f"| {url} | {name} | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} "
                f"| {len(queries)} | {len(response.content) // 1024} |"
            )


if __name__ == "__main__":
    main()
