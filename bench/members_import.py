"""Benchmark: import a 100,000-row members workbook, all or nothing, through the real import runner.

    .venv/bin/python bench/members_import.py                       # SQLite
    .venv/bin/python bench/members_import.py --databases sqlite postgres
    .venv/bin/python bench/members_import.py --rows 20000 --writer write-only

For each database a worker process gets a fresh database (a new SQLite file under /tmp, or a PostgreSQL
database dropped and created again), migrates it, loads the foundation's demo data of tier S (the real
streets and communities of 雅安市, their grids, courtyards and buildings, the Party organizations, the demo
accounts), writes a valid workbook of --rows members into /tmp (every row: a valid and unique ID number, a
phone, a grid branch named in full, a home named by its path from the street down, dates, tags), and imports
it as the demo city official with `grassroots.imports.runner.run_import_job` — what `manage.py db_worker`
runs. It reports the validation and write phases, rows per second, the worker's CPU time and peak memory,
the time the platform's reader (`grassroots.imports.reading`, python-calamine) and openpyxl's read-only
reader each need alone to read the file, and the cost of encrypting the ID numbers and phones.

--name X gives the run a database and a workbook of its own (`/tmp/grassroots-bench-import-X.sqlite3`,
`grassroots_bench_import_X`) on a shared machine; --syncdb creates the tables from the models (as the test
suite's --nomigrations, bench/syncdb_settings.py) instead of replaying every migration, minutes at a high
load; the import itself runs with the production settings either way.

--writer normal (the default) writes the file as Excel and WPS do (shared strings, a <dimension> element);
--writer write-only writes it as openpyxl's streaming writer does (inline strings, no dimension), which
openpyxl's reader parses about twice as slowly. The result goes to bench/results/<date>-members-import.md.
Not a test: a record of how the import scales (target: under 60 s for 100,000 rows on SQLite).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDATION = ("areas", "party_orgs", "users")
TAGS = ("老党员", "在职党员", "法律", "医疗", "退役军人", "独居")


# --- the worker: runs inside one fresh database --------------------------------------------------------


def make_workbook(path: Path, rows: int, writer: str) -> dict:
    """A valid members workbook of `rows` rows, in grid branches and homes of the loaded demo tree."""
    import random

    from openpyxl import Workbook

    from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
    from grassroots.core.members.identity import id_check_digit
    from grassroots.core.members.transfer.layout import KEYS, LABELS
    from grassroots.demo import names

    rng = random.Random(f"bench:{rows}")
    branches = list(
        PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, area__level=Level.GRID)
        .order_by("area__path")
        .values_list("name", "area__path")
    )
    counts: dict[str, int] = {}
    for name, _path in branches:
        counts[name] = counts.get(name, 0) + 1
    branches = [(n, p) for n, p in branches if counts[n] == 1]  # named in full: unique names only
    areas = {
        path: (name, level)
        for path, name, level in Area.objects.filter(level__gte=Level.STREET).values_list(
            "path", "name", "level"
        )
    }
    homes_by_grid: dict[str, list[str]] = {}
    step = Area.steplen
    for home, (_name, level) in areas.items():
        if level in (Level.COURTYARD, Level.COMPOUND, Level.BUILDING):
            grid = next(
                (
                    home[:end]
                    for end in range(step, len(home), step)
                    if areas.get(home[:end], ("", 0))[1] == Level.GRID
                ),
                None,
            )
            if grid:
                homes_by_grid.setdefault(grid, []).append(home)

    def address(path: str) -> str:
        chain = [areas[path[:end]] for end in range(step, len(path) + 1, step) if path[:end] in areas]
        return "/".join(name for name, _level in chain)  # from the street down

    branches = [(n, p) for n, p in branches if homes_by_grid.get(p)]
    if writer == "normal":
        wb = Workbook()
        ws = wb.active
        ws.title = "党员"
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("党员")
    ws.append(list(LABELS))
    today = datetime.date.today()
    for i in range(rows):
        branch, grid = branches[i % len(branches)]
        birth = datetime.date(1935, 1, 1) + datetime.timedelta(days=i % 24_000)  # unique with the serial
        male = rng.random() < 0.6
        serial = 2 * (i // 24_000) + (1 if male else 0)
        first17 = f"511802{birth:%Y%m%d}{serial:03d}"
        joined = min(birth.replace(year=birth.year + 19 + rng.randint(0, 20), day=1), today)
        full = None if rng.random() < 0.1 else joined + datetime.timedelta(days=370)
        # By column key: a column added to the layout later stays empty instead of shifting the rest.
        row = {
            "name": names.person_name(rng),
            "gender": "男" if male else "女",
            "ethnicity": "汉族",
            "birth_date": birth,
            "id_number": first17 + id_check_digit(first17),
            "phone": f"139{rng.randint(0, 99_999_999):08d}",
            "education": rng.choice(("本科", "大专", "高中、中专", "初中", "硕士")),
            "occupation": rng.choice(("教师", "退休", "医生", "职员", "个体经营")),
            "work_unit": rng.choice(("雅安市第一中学", "", "雅安市人民医院", "雅安茶厂")),
            "in_service": rng.choice(("是", "否")),
            "home": address(rng.choice(homes_by_grid[grid])),
            "branch": branch,
            "joined_probationary_on": joined,
            "joined_full_on": full if full is None or full <= today else None,
            "status": "正常" if rng.random() < 0.96 else "流动",
            "tags": "、".join(rng.sample(TAGS, rng.randint(0, 2))),
        }
        ws.append([row.get(key) for key in KEYS])
    wb.save(path)
    return {"branches": len(branches), "file_mb": path.stat().st_size / 1e6}


def read_only_pass(path: Path) -> dict:
    """CPU seconds to read every row of the file: the platform's reader (python-calamine through
    `open_workbook`, the archive check included) and openpyxl's read-only reader, which it replaced."""
    from openpyxl import load_workbook

    from grassroots.imports.reading import open_workbook

    result = {}
    for key, opener in (
        ("reader", lambda: open_workbook(path.open("rb"))),
        ("openpyxl", lambda: load_workbook(path, read_only=True, data_only=True)),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        wb = opener()
        for _row in wb["党员"].iter_rows(values_only=True):
            pass
        wb.close()
        result[f"{key}_cpu_s"] = time.process_time() - cpu
        result[f"{key}_s"] = time.perf_counter() - started
    return result


def encryption_cost(rows: int) -> float:
    """Seconds to encrypt `rows` ID numbers and `rows` phones with the fields' own get_prep_value."""
    from grassroots.core.members.models import Member

    id_field, phone_field = Member._meta.get_field("id_number"), Member._meta.get_field("phone")
    started = time.perf_counter()
    for i in range(rows):
        id_field.get_prep_value(f"51180219800101{i % 10_000:04d}")
        phone_field.get_prep_value(f"139{i:08d}")
    return time.perf_counter() - started


def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no SQL kept in memory


def file_path(rows: int, writer: str) -> Path:
    name = os.environ.get("BENCH_IMPORT_NAME", "")
    return Path(f"/tmp/grassroots-bench-members-{rows}-{writer}{'-' + name if name else ''}.xlsx")


def prepare_worker(rows: int, writer: str, reuse_file: bool) -> dict:
    """Migrate the fresh database, load the foundation's tier S, write the workbook (its own process, so
    that the memory openpyxl needs to write 100,000 rows is not counted against the import)."""
    _setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from grassroots.demo.registry import SeedContext, autodiscover, registered_steps, run_steps
    from grassroots.demo.tiers import TIERS

    if os.environ.get("DJANGO_SETTINGS_MODULE") == "bench.syncdb_settings":
        call_command("migrate", run_syncdb=True, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    autodiscover()
    ctx = SeedContext(seed=1, tier=TIERS["S"], log=lambda _m: None, password_hash=make_password("bench"))
    run_steps(ctx, [s for s in registered_steps() if s.name in FOUNDATION])
    path = file_path(rows, writer)
    result: dict = {"reused_file": reuse_file and path.exists()}
    started = time.perf_counter()
    if not result["reused_file"]:
        result.update(make_workbook(path, rows, writer))
    result["file_mb"] = path.stat().st_size / 1e6
    result["generate_s"] = time.perf_counter() - started
    return result


def import_worker(rows: int, writer: str, keep_file: bool) -> dict:
    """Import the workbook as the demo city official, as the worker would; then measure the readers' bare
    reading of the same file and the cost of the encryption."""
    _setup()
    from django.core.files import File
    from django.db import connection

    from grassroots.accounts.models import User
    from grassroots.core.members.models import Member
    from grassroots.imports.models import ImportJob
    from grassroots.imports.runner import run_import_job, scope_root

    result: dict = {"vendor": connection.vendor, "rows": rows, "writer": writer}
    path = file_path(rows, writer)
    actor = User.objects.get(username="city")
    with path.open("rb") as handle:
        job = ImportJob.objects.create(
            kind="members",
            created_by=actor,
            file=File(handle, name=path.name),
            original_name=path.name,
            area_path=scope_root(actor, "members.import"),
        )
    result["load_before"] = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    job = run_import_job(job_id=job.pk)
    result["import_s"] = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    result["import_cpu_s"] = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    result["maxrss_mb"] = after.ru_maxrss / 1024
    result["load_after"] = os.getloadavg()[0]
    result["status"] = job.status
    result["errors"] = job.errors[:5]
    result["validate_s"] = (job.validated_at - job.started_at).total_seconds()
    result["write_s"] = (job.finished_at - job.validated_at).total_seconds()
    result["members"] = Member.objects.count()
    result.update(read_only_pass(path))
    result["encrypt_s"] = encryption_cost(rows)
    if not keep_file:
        path.unlink(missing_ok=True)
    return result


# --- the orchestrator -------------------------------------------------------------------------------------


def fresh_sqlite(name: str) -> str:
    path = Path(f"/tmp/grassroots-bench-import{'-' + name if name else ''}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres(pg_url: str, suffix: str) -> str:
    import psycopg

    base, _, _name = pg_url.rpartition("/")
    name = f"grassroots_bench_import{'_' + suffix if suffix else ''}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_worker(database_url: str, mode: str, args) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "DEBUG": "1",
        "BENCH_IMPORT_NAME": args.name,
        "GRASSROOTS_VAR_DIR": "/tmp/grassroots-bench-var",
    }
    command = [sys.executable, __file__, f"--{mode}", "--rows", str(args.rows), "--writer", args.writer]
    command += ["--keep-file"] if args.keep_file else []
    if mode == "prepare" and args.syncdb:
        env["DJANGO_SETTINGS_MODULE"] = "bench.syncdb_settings"
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{mode} worker failed ({database_url}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(results: list[dict], args) -> str:
    lines = [
        f"# Members import benchmark, {datetime.date.today().isoformat()}",
        "",
        f"`python bench/members_import.py --rows {args.rows} --writer {args.writer} --databases "
        f"{' '.join(args.databases)}{' --name ' + args.name if args.name else ''}"
        f"{' --syncdb' if args.syncdb else ''}` · commit {git_commit()} (plus the working tree)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. The file: {args.rows:,} valid rows written by openpyxl "
        f"({args.writer}); the import runs as the demo city official through `run_import_job`, as the worker "
        "does. Wall times stretch on a loaded machine: see the load average.",
        "",
        "| database | rows | file (MB) | status | import (s) | validate (s) | write (s) | rows/s | CPU (s) "
        "| peak RSS (MB) | load avg |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['server']} | {r['members']:,} | {r['file_mb']:.1f} | {r['status']} | {r['import_s']:.1f} "
            f"| {r['validate_s']:.1f} | {r['write_s']:.1f} | {r['rows'] / r['import_s']:,.0f} "
            f"| {r['import_cpu_s']:.1f} | {r['maxrss_mb']:.0f} "
            f"| {r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    lines += ["", "Where the time goes (same worker):", ""]
    for r in results:
        lines.append(
            f"- {r['server']}: the platform's reader (python-calamine, with the archive check) alone "
            f"reads the file in {r['reader_cpu_s']:.1f} s of CPU ({r['reader_s']:.1f} s wall), openpyxl's "
            f"read-only reader in {r['openpyxl_cpu_s']:.1f} s of CPU ({r['openpyxl_s']:.1f} s wall); "
            "encrypting "
            f"{r['rows']:,} ID numbers and {r['rows']:,} phones (the fields' `get_prep_value`, Fernet) takes "
            f"{r['encrypt_s']:.1f} s; peak memory is the import worker's (the file is written by another)."
        )
        if r["errors"]:
            lines.append(f"  errors: {r['errors']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--writer", default="normal", choices=["normal", "write-only"])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1/grassroots_bench"),
        help="a PostgreSQL URL; the database name is replaced by grassroots_bench_import",
    )
    parser.add_argument(
        "--keep-file", action="store_true", help="keep the workbook in /tmp, and use it again if it is there"
    )
    parser.add_argument("--out", type=Path, help="default bench/results/<date>-members-import.md")
    parser.add_argument("--name", default="", help="a database and workbook of this run's own")
    parser.add_argument("--syncdb", action="store_true", help="create the tables instead of migrating")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import", dest="do_import", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.prepare:
        print(json.dumps(prepare_worker(args.rows, args.writer, args.keep_file), default=str))
        return 0
    if args.do_import:
        print(
            json.dumps(import_worker(args.rows, args.writer, args.keep_file), ensure_ascii=False, default=str)
        )
        return 0

    results = []
    for database in args.databases:
        url = fresh_sqlite(args.name) if database == "sqlite" else fresh_postgres(args.pg_url, args.name)
        print(f"{database}: {args.rows:,} rows …", file=sys.stderr, flush=True)
        result = run_worker(url, "prepare", args)
        result.update(run_worker(url, "import", args))
        result["server"] = "SQLite" if database == "sqlite" else "PostgreSQL"
        print(
            f"  {result['status']} in {result['import_s']:.1f} s (validate {result['validate_s']:.1f}, "
            f"write {result['write_s']:.1f}), peak {result['maxrss_mb']:.0f} MB",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
    out = args.out or ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-members-import.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(results, args), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    print(report(results, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
