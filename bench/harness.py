"""`make bench`: the city-scale benchmark of issue 19, served as production serves it.

    .venv/bin/python bench/harness.py                          # tier S on SQLite (make bench)
    .venv/bin/python bench/harness.py --tier M --databases sqlite postgres
    .venv/bin/python bench/harness.py --smoke --out-dir /tmp/bench-smoke   # CI's short smoke

For each database: a fresh database (a new SQLite file, or a PostgreSQL database dropped and created again:
bench/seed_tiers.py's code), migrated and seeded with every demo step at the tier (`seed_demo --force`; its
wall time and the seeding process's peak RSS are reported), then prepared for the run (below); gunicorn
with 2 workers and DEBUG off serves it, with the production keys given in the environment as CI's
production path does (.ci/run). Then:

- pages (bench/pages.toml): every demo account signs in through the login form and the two-factor step
  (scripts/production_check.py's client); for each page and account, a warm-up, then `--requests` rounds of
  the floor (the password-change page for the same session) and the page, one for one, so a noisy machine
  stretches both; p50 and p95 of each, and the page's as a ratio to the floor's;
- query counts: not from the served requests (that would need a counting header in production code), but
  in a separate process on the same database with the same settings: Django's test client signed in as the
  same account, the second request of each page under `CaptureQueriesContext`;
- the vote burst: `--voters` distinct verified residents (made for the run, each with a session) cast one
  ballot each, spread evenly over `--burst-seconds` against one vote, through the ballot form; errors, p95,
  and afterwards the ballots, turnouts and the vote's hash chain checked;
- roll-ups (bench/rollups.py's worker on the same database) and the 100,000-row import
  (bench/members_import.py, its own fresh database), unless `--skip`ped;
- the peak and current RSS of each gunicorn worker after the run.

Results: bench/results/<date>-bench-<tier>.json and .md (`--out-dir` to change). The preparation changes
the benchmark database only: the demo accounts lose `is_demo` (demo accounts cannot sign in with DEBUG off),
officials get a TOTP device whose key the harness knows, everyone has agreed to the privacy notice. See
docs/performance.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

FLOOR = "/accounts/password/change/"
TOTP_KEY = "3132333435363738393031323334353637383930"  # the benchmark database's officials' TOTP key (hex)
VOTER_PREFIX = "bench-voter-"
TARGETS = {
    "page_p95_ratio": 3.0,
    "rollup_ratio": 2.0,
    "import_s": 60.0,
    "import_mb": 500.0,
    "ballot_p95_ms": 200.0,
    "worker_rss_mb": 200.0,
}


def production_env(database_url: str, var_dir: Path) -> dict:
    """The environment of every process that touches the benchmark database: production settings (DEBUG
    off) with fixed keys, so that what the seed encrypts the server can read."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghijklmnop",
        "PERSONAL_DATA_HASH_KEY": "bench-only-hash-key",
        "SALT_KEY": "bench-only-salt",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "grassroots@grassroots.example",
        "DATABASE_URL": database_url,
        # gunicorn stands where nginx would: the vote burst's residents each come from an address of their
        # own (X-Forwarded-For), as they do behind the production proxy, so the per-address ballot limit
        # (voting/limits.py) counts each household, not the benchmark's one machine
        "TRUSTED_PROXIES": "127.0.0.1",
        "GRASSROOTS_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


def use_seeded(name: str, tier: str) -> str:
    """Set this process's environment (`production_env`) to the database the harness seeded as --name and
    --tier, for a profiler: DATABASE_URL when set (PostgreSQL: postgres://…/grassroots_bench_<name>_<tier>),
    else the SQLite file. Returns its URL."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:////tmp/grassroots-bench-{name}-{tier}.sqlite3"
    engine = "postgres" if url.startswith("postgres") else "sqlite"
    os.environ.update(production_env(url, Path(f"/tmp/grassroots-bench-{name}-var-{engine}")))
    return url


# --- workers: run inside the benchmark database's environment -------------------------------------------


def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_worker(voters: int) -> dict:
    """Make the seeded database usable with DEBUG off and create the vote burst's vote and voters."""
    _setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.accounts.models import RoleGrant, User
    from grassroots.accounts.roles import Role
    from grassroots.areas.models import Area, Level
    from grassroots.areas.subtree import under_q
    from grassroots.core.members.models import Member
    from grassroots.privacy.models import Consent
    from grassroots.privacy.notice import NOTICE_VERSION
    from grassroots.voting.models import Electorate, Majority
    from grassroots.voting.services.votes import create_vote, publish_vote

    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(is_demo=True).update(is_demo=False)
        officials = [u for u in User.objects.filter(username__in=DEMO_USERS) if u.is_official or u.is_staff]
        TOTPDevice.objects.filter(user__in=officials).delete()
        TOTPDevice.objects.bulk_create(
            [TOTPDevice(user=u, name="bench", key=TOTP_KEY, confirmed=True) for u in officials]
        )
        agreed = Consent.objects.filter(version=NOTICE_VERSION).values("user_id")
        Consent.objects.bulk_create(
            [
                Consent(user_id=pk, version=NOTICE_VERSION, purpose="bench", given_at=now)
                for pk in User.objects.exclude(pk__in=agreed).values_list("pk", flat=True)
            ],
            batch_size=2000,
        )

    community = Area.objects.get(code="511802001001")  # 东大街社区, the demo community
    member = (
        Member.objects.filter(under_q(community.path, "branch__area__path")).order_by("pk").first()
        or Member.objects.order_by("pk").first()
    )
    result = {"member": member.pk if member else 0, "officials": [u.username for u in officials]}
    if voters <= 0:
        return result

    # The vote burst: distinct verified residents of the community, each with a session of their own.
    homes = list(
        Area.objects.filter(under_q(community.path, "path"), level=Level.BUILDING).values_list(
            "pk", flat=True
        )
    ) or [community.pk]
    worker = User.objects.get(username="worker")
    prefix = f"{VOTER_PREFIX}{int(time.time())}-"
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}{n:05d}",
                    full_name=f"压测居民{n}",
                    password="!",  # unusable: they never sign in with a password
                    password_changed_at=now,
                    home_area_id=homes[n % len(homes)],
                    verified_at=now,
                )
                for n in range(voters)
            ],
            batch_size=1000,
        )
        people = list(User.objects.filter(username__startswith=prefix).order_by("username"))
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=u, role=Role.RESIDENT, area=community) for u in people], batch_size=1000
        )
        Consent.objects.bulk_create(
            [Consent(user=u, version=NOTICE_VERSION, purpose="bench", given_at=now) for u in people],
            batch_size=1000,
        )
        vote = create_vote(
            actor=worker,
            area=community,
            title="压测投票：小区停车方案",
            options=["方案一", "方案二", "方案三"],
            electorate=Electorate.RESIDENTS,
            opens_at=now - datetime.timedelta(minutes=1),
            closes_at=now + datetime.timedelta(hours=2),
            majority=Majority.SIMPLE,
            quorum_percent=1,
        )
        publish_vote(actor=worker, vote=vote, now=now)
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "grassroots.accounts.backends.GrassrootsBackend"
    sessions = []
    for user in people:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    result.update(
        vote=vote.pk,
        options=list(vote.options.order_by("position").values_list("pk", flat=True)),
        sessions=sessions,
    )
    return result


def signed_in_client(user):
    """Django's test client signed in as `user` as the harness's browser is, an official with the
    two-factor step passed (the session holds the user's TOTP device); Django set up already."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def queries_worker(plan: list[list]) -> dict:
    """The query count of each (user, path, htmx), with Django's test client on the same database and
    settings."""
    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.accounts.models import User

    counts = {}
    clients: dict[str, Client] = {}
    for username, path, *htmx in plan:
        client = clients.get(username)
        if client is None:
            client = clients[username] = signed_in_client(User.objects.get(username=username))
        headers = {"HX-Request": "true"} if htmx and htmx[0] else {}
        client.get(path, headers=headers)  # warm-up: caches, the session's first-request work
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path, headers=headers).status_code
        counts[f"{username} {path}"] = {"queries": len(captured), "status": status}
    return counts


def check_vote_worker(vote_id: int) -> dict:
    _setup()
    from grassroots.voting.models import Ballot, Turnout, Vote
    from grassroots.voting.services.chain import verify_ballot_chain

    vote = Vote.objects.get(pk=vote_id)
    return {
        "ballots": Ballot.objects.filter(vote=vote).count(),
        "turnouts": Turnout.objects.filter(vote=vote).count(),
        "distinct_voters": Turnout.objects.filter(vote=vote).values("voter").distinct().count(),
        "chain_error": verify_ballot_chain(vote),
    }


DEMO_USERS = (
    "city",
    "county",
    "street",
    "secretary",
    "worker",
    "grid",
    "resident",
    "member",
    "branch",
    "partner",
    "mediator",
    "lawyer",
    "auditor",
    "admin",
)


def worker_main(args) -> int:
    payload = json.loads(sys.stdin.read() or "null")
    if args.worker == "prepare":
        out = prepare_worker(payload["voters"])
    elif args.worker == "queries":
        out = queries_worker(payload)
    elif args.worker == "check-vote":
        out = check_vote_worker(payload)
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


# --- the orchestrator ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_json(env: dict, worker: str, payload) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", worker],
        input=json.dumps(payload),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{worker} worker failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(env: dict, *command: str) -> dict:
    """Run a management command; its wall time and its process's own peak RSS (os.wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *command], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def fresh_database(kind: str, tier: str, pg_url: str, name: str = "serve") -> str:
    import seed_tiers

    if kind == "sqlite":
        return seed_tiers.fresh_sqlite(f"{name}-{tier}")
    return seed_tiers.fresh_postgres(pg_url, f"{name}_{tier}")


def reused_database(kind: str, tier: str, pg_url: str, name: str = "serve") -> str:
    """The database a previous run seeded and prepared (--reuse: for measuring again without seeding)."""
    if kind == "sqlite":
        return f"sqlite:////tmp/grassroots-bench-{name}-{tier}.sqlite3"
    base, _, _name = pg_url.rpartition("/")
    return f"{base}/grassroots_bench_{name}_{tier.lower()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A redis-server of the run's own (no persistence) on a free loopback port: the cache production shares
    between its workers (settings.REDIS_URL). Without it each gunicorn worker keeps its own cache, and what
    one worker kept the other computes again on its first request of the page (docs/performance.md)."""

    def __init__(self, var_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]  # nothing written to disk
        self.process = subprocess.Popen(
            command,
            cwd=var_dir,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(60):
            try:
                with socket.create_connection(("127.0.0.1", self.port), 1) as ping:
                    ping.sendall(b"PING\r\n")
                    if ping.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("redis-server stopped") from None
            time.sleep(0.25)
        raise SystemExit("redis-server did not answer")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


class Server:
    """gunicorn with 2 workers on a free loopback port, stopped by its process id."""

    def __init__(self, env: dict, var_dir: Path, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = var_dir / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "grassroots.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--error-logfile",
                str(self.log_path),
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(240):
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn stopped:\n{self.log_path.read_text()[-4000:]}") from None
                time.sleep(0.5)
        # Both workers answer before anything is measured (each imports the project on its first request).
        for _ in range(6):
            _request(self.base, "/healthz", {})

    def workers_memory(self) -> list[dict]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        out = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            fields = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
            out.append(
                {
                    "pid": int(pid),
                    "peak_mb": int(fields["VmHWM"]) / 1024,
                    "rss_mb": int(fields["VmRSS"]) / 1024,
                }
            )
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _request(
    base: str,
    path: str,
    cookies: dict,
    data: dict | None = None,
    client: str | None = None,
    htmx: bool = False,
) -> tuple[int, float, bytes]:
    """One request over a new connection, as production_check does; (status, seconds, body). `client`: the
    address the proxy in front would forward (X-Forwarded-For); `htmx`: asked by htmx (a home block's
    placeholder), as the browser does."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlencode

    from production_check import NoRedirect

    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
    if client:
        headers["X-Forwarded-For"] = client
    if htmx:
        headers["HX-Request"] = "true"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if data is not None:
        body = urlencode(data, doseq=True).encode()
        host = base.split("://", 1)[1]
        headers["Origin"] = f"https://{host}"
        headers["Referer"] = f"https://{host}{path}"
    req = urllib.request.Request(base + path, data=body, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    started = time.perf_counter()
    try:
        response = opener.open(req, timeout=120)
    except urllib.error.HTTPError as error:
        response = error
    content = response.read()
    return response.status, time.perf_counter() - started, content


def sign_in(base: str, username: str, password: str):
    """A signed-in browser (scripts/production_check.py's) for a demo account: the login form, then the
    one-time code for an official."""
    from production_check import Browser, csrf_token, totp

    browser = Browser(base)
    status, _headers, page = browser.request("/accounts/login/")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page)}
    status, headers, _body = browser.request("/accounts/login/", form)
    if status != 302:
        raise SystemExit(f"sign-in of {username} refused ({status})")
    status, headers, page = browser.request(FLOOR)
    if status == 302 and "/accounts/two-factor/" in headers.get("Location", ""):
        status, _h, page = browser.request(headers["Location"])
        form = {"token": totp(bytes.fromhex(TOTP_KEY)), "csrfmiddlewaretoken": csrf_token(page)}
        status, headers, _body = browser.request("/accounts/two-factor/", form)
        status, headers, page = browser.request(FLOOR)
    if status != 200:
        raise SystemExit(f"{username}: the floor page answers {status} {headers.get('Location', '')}")
    return browser


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure_pages(base: str, pages: list[dict], requests: int, member: int) -> list[dict]:
    by_user: dict[str, list[dict]] = {}
    for page in pages:
        for user in page["users"]:
            by_user.setdefault(user, []).append(page)
    rows = []
    for user, user_pages in by_user.items():
        browser = sign_in(base, user, "grassroots-demo")  # signed in just before its pages (idle timeout)
        cookies = browser.cookies

        def get(path: str, cookies=cookies, htmx: bool = False) -> tuple[int, float]:
            status, seconds, _body = _request(base, path, cookies, htmx=htmx)
            return status, seconds

        for page in user_pages:
            path = quote(page["path"].replace("{member}", str(member)), safe="/?=&%:")
            htmx = bool(page.get("htmx"))
            get(FLOOR)
            status, _ = get(path, htmx=htmx)  # warm-up
            row = {"part": page["part"], "page": page["name"], "path": path, "user": user, "status": status}
            if htmx:
                row["htmx"] = True
            if status != 200:
                rows.append(row)
                log(f"  {user} {path}: {status}, skipped")
                continue
            floor_times, page_times, statuses = [], [], set()
            for _ in range(requests):
                s, t = get(FLOOR)
                floor_times.append(t)
                statuses.add(s)
                s, t = get(path, htmx=htmx)
                page_times.append(t)
                statuses.add(s)
            row.update(
                floor_p50_ms=statistics.median(floor_times) * 1000,
                floor_p95_ms=percentile(floor_times, 95) * 1000,
                p50_ms=statistics.median(page_times) * 1000,
                p95_ms=percentile(page_times, 95) * 1000,
                requests=requests,
                statuses=sorted(statuses),
            )
            row["ratio_p50"] = row["p50_ms"] / row["floor_p50_ms"]
            row["ratio_p95"] = row["p95_ms"] / row["floor_p95_ms"]
            log(
                f"  {user} {path}: p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms, "
                f"×{row['ratio_p95']:.1f}"
            )
            rows.append(row)
    return rows


def voter_address(i: int) -> str:
    """The i-th voter's own address (10.0.0.0/8): residents vote from their own homes and phones."""
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def vote_burst(base: str, prepared: dict, seconds: float) -> dict:
    """Every prepared voter casts one ballot; request i starts at i × seconds / voters."""
    sessions = prepared["sessions"]
    options = prepared["options"]
    vote = prepared["vote"]
    n = len(sessions)
    results: list[tuple[int, float] | None] = [None] * n
    started = time.perf_counter() + 1.0

    def cast(i: int) -> None:
        delay = started + i * seconds / n - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        csrf = secrets.token_hex(16)  # a 32-character secret, as Django's cookie holds it
        cookies = {"sessionid": sessions[i], "csrftoken": csrf}
        data = {"options": str(options[i % len(options)]), "csrfmiddlewaretoken": csrf}
        try:
            status, took, _body = _request(
                base, f"/voting/{vote}/cast/", cookies, data, client=voter_address(i)
            )
        except OSError:
            status, took = 0, 0.0
        results[i] = (status, took)

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(cast, range(n)))
    elapsed = time.perf_counter() - started
    times = [t for s, t in results if s == 200]
    errors: dict[str, int] = {}
    for status, _t in results:
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {
        "voters": n,
        "seconds_planned": seconds,
        "seconds_taken": elapsed,
        "ok": len(times),
        "errors": errors,
        "p50_ms": statistics.median(times) * 1000 if times else None,
        "p95_ms": percentile(times, 95) * 1000 if times else None,
        "max_ms": max(times) * 1000 if times else None,
        "options": options,
    }


def run_database(kind: str, args, pages: list[dict]) -> dict:
    tier = args.tier
    url = (
        reused_database(kind, tier, args.pg_url, args.name)
        if args.reuse
        else fresh_database(kind, tier, args.pg_url, args.name)
    )
    var_dir = Path(f"/tmp/grassroots-bench-{args.name}-var-{kind}")
    var_dir.mkdir(exist_ok=True)
    env = production_env(url, var_dir)
    result: dict = {"database": kind, "tier": tier, "load_before": os.getloadavg()}
    if args.reuse:
        log(f"{kind}: the database of the last run, as it is (--reuse)")
        result["migrate"] = result["seed"] = None
    elif args.syncdb:  # the smoke: tables straight from the models (bench/syncdb_settings.py)
        log(f"{kind}: create the tables (migrate --run-syncdb)")
        syncdb_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.syncdb_settings"}
        result["migrate"] = manage(syncdb_env, "migrate", "--run-syncdb", "--noinput", "-v", "0")
    else:
        log(f"{kind}: migrate")
        result["migrate"] = manage(env, "migrate", "--noinput", "-v", "0")
    if not args.reuse:
        log(f"{kind}: seed tier {tier}")
        result["seed"] = manage(env, "seed_demo", "--tier", tier, "--force", "-v", "0")
        log(f"  seeded in {result['seed']['wall_s']:.1f} s, peak {result['seed']['peak_rss_mb']:.0f} MB")
    if kind == "sqlite" and not args.reuse:
        # What production's nightly clock.analyze does: without statistics SQLite guesses its indexes.
        with sqlite3.connect(url.removeprefix("sqlite:///")) as analyzed:
            analyzed.execute("ANALYZE")
    elif not args.reuse:
        # What production's autovacuum does soon after a bulk load. A CI machine image may run PostgreSQL with
        # autovacuum off (this one: conf.d/90-ci.conf), and then nothing ever gathers statistics: planned
        # blind, the city's home page ran past gunicorn's 120 s timeout at tier M. VACUUM as well: autovacuum
        # vacuums a table after a bulk insert too, which fills its visibility map; without it no count can be
        # read from an index alone (at tier M the city's member count read the 37 MB table, 17 ms, instead of
        # an index, 7 ms; docs/performance.md, session 13).
        import psycopg

        with psycopg.connect(url, autocommit=True) as analyzed:
            analyzed.execute("VACUUM (ANALYZE)")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    prepared = run_json(env, "prepare", {"voters": args.voters})
    redis = Redis(var_dir) if args.redis else None
    result["cache"] = "redis" if redis else "each worker's own (locmem)"
    try:
        server = Server({**env, "REDIS_URL": redis.url} if redis else env, var_dir)
    except BaseException:
        if redis:
            redis.stop()
        raise
    try:
        log(
            f"{kind}: pages ({sum(len(p['users']) for p in pages)} page × user, "
            f"{args.requests} requests each)"
        )
        result["pages"] = measure_pages(server.base, pages, args.requests, prepared["member"])
        if args.voters:
            log(f"{kind}: vote burst, {args.voters} ballots in {args.burst_seconds:.0f} s")
            result["burst"] = vote_burst(server.base, prepared, args.burst_seconds)
        result["workers"] = server.workers_memory()
    finally:
        server.stop()
        if redis:
            redis.stop()
    if args.voters:
        result["burst"].update(run_json(env, "check-vote", prepared["vote"]))
        burst = result["burst"]
        log(
            f"  burst: {burst['ok']} ok, errors {burst['errors']}, p95 {burst['p95_ms']} ms, "
            f"ballots {burst['ballots']}"
        )
    plan = [[r["user"], r["path"], r.get("htmx", False)] for r in result["pages"] if r["status"] == 200]
    log(f"{kind}: query counts ({len(plan)} page × user, Django's test client)")
    counts = run_json(env, "queries", plan)
    for row in result["pages"]:
        found = counts.get(f"{row['user']} {row['path']}")
        if found:
            row["queries"] = found["queries"]
    if "rollups" not in args.skip:
        import rollups

        log(f"{kind}: roll-ups (bench/rollups.py)")
        result["rollups"] = rollups.run_worker(url, args.rollup_repeat)
    result["load_after"] = os.getloadavg()
    return result


def run_import(args) -> list[dict]:
    import members_import

    out = []
    for kind in args.databases:
        name = "" if args.name == "serve" else args.name  # the default run keeps its file names
        url = (
            members_import.fresh_sqlite(name)
            if kind == "sqlite"
            else members_import.fresh_postgres(args.pg_url, name)
        )
        ns = argparse.Namespace(
            rows=args.import_rows, writer="normal", keep_file=True, name=name, syncdb=args.syncdb
        )
        log(f"{kind}: import of {args.import_rows:,} rows (bench/members_import.py)")
        row = members_import.run_worker(url, "prepare", ns)
        row.update(members_import.run_worker(url, "import", ns))
        row["database"] = kind
        out.append(row)
        log(f"  {row['status']} in {row['import_s']:.1f} s, peak {row['maxrss_mb']:.0f} MB")
    return out


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    kb = re.search(r"MemTotal:\s+(\d+)", meminfo)
    cpu = cpu.group(1) if cpu else ""
    mem = f"{int(kb.group(1)) / 1024**2:.1f} GB" if kb else ""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "commit": commit,
    }


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def summary(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"# `make bench`, tier {report['tier']}, {report['date']}",
        "",
        f"`{report['command']}` · commit {m['commit']} · {m['cpu']} × {m['cpus']}, {m['memory']}, "
        f"Python {m['python']}, {m['system']}",
        "",
        "Pages: p50 and p95 of the page and of the floor (the password-change page for the same session), "
        "measured one for one; ratio = page p95 / floor p95 (target ≤ 3). Queries: the page's second request "
        "through Django's test client on the same database. Served by gunicorn, 2 workers, DEBUG off.",
    ]
    for db in report["databases"]:
        load = lambda t: ", ".join(f"{x:.1f}" for x in t)  # noqa: E731
        lines += [
            "",
            f"## {db['database']}",
            "",
            f"Load average before {load(db['load_before'])}, after {load(db['load_after'])} (2 CPUs shared: "
            "wall times stretch with it; the ratios are what to read). "
            f"Cache: {db.get('cache', 'each worker' + chr(39) + 's own (locmem)')}. "
            + (
                f"Seed tier {db['tier']}: {db['seed']['wall_s']:.1f} s, "
                f"peak {db['seed']['peak_rss_mb']:.0f} MB (migrate {db['migrate']['wall_s']:.1f} s)."
                if db["seed"]
                else f"Tier {db['tier']}, the database of an earlier run (--reuse)."
            ),
            "",
            "| part | page | user | p50 ms | p95 ms | floor p50 ms | floor p95 ms | ×floor (p50) "
            "| ×floor (p95) | queries | target (p95 ≤ 3×) |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        skipped = []
        for r in db["pages"]:
            if r["status"] != 200:
                skipped.append(f"{r['user']} {r['path']} ({r['status']})")
                continue
            lines.append(
                f"| {r['part']} | {r['page']} | {r['user']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
                f"| {r['floor_p50_ms']:.0f} | {r['floor_p95_ms']:.0f} | {r['ratio_p50']:.1f} "
                f"| {r['ratio_p95']:.1f} | {r.get('queries', '?')} "
                f"| {verdict(r['ratio_p95'] <= TARGETS['page_p95_ratio'])} |"
            )
        if skipped:
            lines += ["", "Not measured (the account does not get 200 there): " + "; ".join(skipped) + "."]
        if "burst" in db:
            b = db["burst"]
            ok = not b["errors"] and b["ballots"] == b["voters"] == b["turnouts"] and not b["chain_error"]
            lines += [
                "",
                f"Vote burst: {b['voters']:,} ballots from distinct verified residents, planned over "
                f"{b['seconds_planned']:.0f} s (took {b['seconds_taken']:.0f} s): {b['ok']:,} answered 200, "
                f"errors {b['errors'] or 'none'}; afterwards {b['ballots']:,} ballots, {b['turnouts']:,} "
                f"turnouts, {b['distinct_voters']:,} distinct voters, hash chain "
                f"{'intact' if not b['chain_error'] else b['chain_error']}; p50 {b['p50_ms'] or 0:.0f} ms, "
                f"p95 {b['p95_ms'] or 0:.0f} ms, slowest {b['max_ms'] or 0:.0f} ms. "
                f"No error, no lost or double ballot: {verdict(ok)}; p95 < 200 ms: "
                f"{verdict(b['p95_ms'] is not None and b['p95_ms'] < TARGETS['ballot_p95_ms'])}.",
            ]
        if db.get("workers"):
            peak = max(w["rss_mb"] for w in db["workers"])
            lines += [
                "",
                "gunicorn workers after the run: "
                + ", ".join(f"RSS {w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f} MB)" for w in db["workers"])
                + f"; under 200 MB: {verdict(peak < TARGETS['worker_rss_mb'])}.",
            ]
        if db.get("rollups"):
            lines += [
                "",
                "Roll-ups (bench/rollups.py: the platform's figure against the bare SQL aggregate, "
                "medians; the target, within 2×, is set at tier L on PostgreSQL):",
                "",
                "| figure | at | platform ms | bare ms | ratio | CPU ratio | same numbers |",
                "| --- | --- | ---: | ---: | ---: | ---: | --- |",
            ]
            for f in db["rollups"]["figures"]:
                lines.append(
                    f"| {f['figure']} | {f['at']} | {f['platform_ms']:.1f} | {f['bare_ms']:.1f} "
                    f"| {f['ratio']:.2f} | {f['cpu_ratio']:.2f} "
                    f"| {'yes' if f['equal'] else 'no: ' + str(f['diff'])} |"
                )
    for row in report.get("import", []):
        if row.get("errors") or not row.get("members"):
            lines += [
                "",
                f"Import of {row['rows']:,} members ({row['database']}): **{row['status']}**, "
                f"{row.get('members', 0):,} members written, first errors {row.get('errors', [])[:3]}: not a "
                "measurement (does bench/members_import.py's workbook still fit the import's columns?).",
            ]
            continue
        lines += [
            "",
            f"Import of {row['rows']:,} members ({row['database']}, bench/members_import.py): "
            f"{row['status']} in {row['import_s']:.1f} s (validate {row['validate_s']:.1f}, write "
            f"{row['write_s']:.1f}), peak RSS {row['maxrss_mb']:.0f} MB, load {row['load_before']:.1f} → "
            f"{row['load_after']:.1f}; under 60 s: "
            f"{verdict(row['import_s'] < TARGETS['import_s'])}, under 500 MB: "
            f"{verdict(row['maxrss_mb'] < TARGETS['import_mb'])}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tier", default="S", type=str.upper, choices=["S", "M", "L"])
    parser.add_argument("--databases", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres:postgres@127.0.0.1/grassroots_bench"),
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page and user")
    parser.add_argument("--voters", type=int, default=2000, help="ballots in the vote burst (0: none)")
    parser.add_argument("--burst-seconds", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--rollup-repeat", type=int, default=10)
    parser.add_argument("--skip", nargs="*", default=[], choices=["rollups", "import"])
    parser.add_argument("--pages", type=Path, default=ROOT / "bench" / "pages.toml")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI: the pages marked smoke for 3 users each, --syncdb, 3 requests, a burst of 40 "
        "ballots in 4 s, no roll-ups, no import",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database the last run of this tier seeded, as it is"
    )
    parser.add_argument(
        "--syncdb", action="store_true", help="create the tables from the models instead of migrating"
    )
    parser.add_argument("--out-dir", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--name",
        default="serve",
        help="the database's name part (/tmp/grassroots-bench-<name>-<tier>.sqlite3): a session of its own "
        "on a shared machine",
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help="serve with a redis-server of the run's own as the cache (REDIS_URL), as production does: the "
        "workers share what they keep",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args)

    pages = tomllib.loads(args.pages.read_text(encoding="utf-8"))["page"]
    if args.smoke:
        pages = [{**p, "users": p["users"][:3]} for p in pages if p.get("smoke")]
        args.syncdb = True
        args.requests, args.voters, args.burst_seconds = 3, 40, 4.0
        args.skip = ["rollups", "import"]
    started = time.perf_counter()
    report = {
        "date": datetime.date.today().isoformat(),
        "tier": args.tier,
        "command": "python bench/harness.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "targets": TARGETS,
        "databases": [],
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{report['date']}-bench-{args.tier}" + ("-smoke" if args.smoke else "")

    def save() -> None:  # after each part, so that a failure late in a long run keeps what was measured
        report["elapsed_s"] = time.perf_counter() - started
        (args.out_dir / f"{stem}.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    for kind in args.databases:
        report["databases"].append(run_database(kind, args, pages))
        save()
    if "import" not in args.skip:
        report["import"] = run_import(args)
        save()
    text = summary(report)
    (args.out_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.out_dir / stem}.json and .md in {report['elapsed_s']:.0f} s")
    failures = [
        r
        for db in report["databases"]
        for r in db["pages"]
        if r["status"] >= 500 or (r["status"] == 200 and set(r["statuses"]) != {200})
    ]
    burst_bad = [
        db["burst"]
        for db in report["databases"]
        if "burst" in db
        and (
            db["burst"]["errors"]
            or not db["burst"]["ballots"] == db["burst"]["turnouts"] == db["burst"]["voters"]
            or db["burst"]["chain_error"]
        )
    ]
    if failures or burst_bad:
        log(
            f"errors during the run: {len(failures)} pages failed (5xx, or not 200 every time); "
            f"burst {burst_bad}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
