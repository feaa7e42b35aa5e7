"""End-to-end tests: Playwright for Python driving Debian's Chromium (no browser download) against a server
these tests start themselves, with the demo data (tier S, seed 1) — docs/e2e.md.

The server is a separate process (`manage.py runserver`, DEBUG on so the demo accounts sign in) on a database
of its own in a temporary directory, migrated and seeded once for the package; the tests only see what a
browser sees. Each journey leaves its own records (new names), so the journeys do not depend on each other's
order. E2E_BASE_URL=http://127.0.0.1:8000 runs them against a server you started yourself (`make run`).

Without Chromium (or without the playwright package) the tests are skipped with the reason; with
GRASSROOTS_E2E=require (CI) a missing browser fails them instead, and so does a missing axe-core
(tests.e2e.axe)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = "axe-core is missing from node_modules: run npm ci"
PASSWORD = "grassroots-demo"  # settings.DEMO_PASSWORD
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make install-dev)"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (docs/e2e.md)"
    return None


def required() -> bool:
    """GRASSROOTS_E2E=require (CI): what the tests need and miss fails them, never skips them."""
    return os.environ.get("GRASSROOTS_E2E") == "require"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.fspath)).parents]
    if not ours:
        return
    reason = _missing()
    for item in ours:
        item.add_marker(pytest.mark.e2e)
        if reason and not required():
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the e2e server stopped: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the e2e server did not answer within {seconds} s: {log.read_text()[-3000:]}")


# The server's environment (its database), for the clock's tasks run at a pinned moment (`clock` below).
SERVER_ENV: dict[str, str] = {}

# Run one periodic task of the clock (docs/clock.md) as the scheduler's worker would, at a given moment:
# time-machine pins this process's clock, so the server itself keeps real time.
_AT = """
import json, sys
from datetime import datetime
import time_machine
time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=False).start()
import django
django.setup()
from grassroots.clock import registry
registry.discover()
print(json.dumps(registry.get(sys.argv[2]).task.call(), default=str))
"""


@pytest.fixture(scope="package")
def base_url(tmp_path_factory):
    """The server's address: migrated, seeded with the demo (tier S), serving until the package ends."""
    given = os.environ.get("E2E_BASE_URL")
    if given:  # your server (`make run`): its database is the one your environment names
        SERVER_ENV.update(os.environ, DEBUG="1")
        yield given.rstrip("/")
        return
    var = tmp_path_factory.mktemp("e2e-var")
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "GRASSROOTS_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'e2e.sqlite3'}",
        # background work (notifications, exports) runs inside the request: no worker process to start
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("GRASSROOTS_TEST_CLOCK", None)  # the server keeps real time; the journeys are written for it
    SERVER_ENV.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--tier", "S", "--seed", "1"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    log = var / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/healthz", server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="package")
def browser():
    """Chromium, started once for the package (package scope: Playwright's sync API runs its event loop in
    this thread, where Django's ORM would refuse to work — the other packages' tests never see it)."""
    reason = _missing()
    if reason:
        pytest.fail(reason)  # only reached with GRASSROOTS_E2E=require
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def clock(base_url):
    """clock(moment, "selfgov.close_evaluations") → the periodic task's result, run on the server's database
    with the clock pinned at `moment` (an aware datetime): what the scheduler would do then."""

    def run_at(moment, name: str):
        done = subprocess.run(
            [sys.executable, "-c", _AT, moment.isoformat(), name],
            env=SERVER_ENV,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run_at


class Session:
    """One person's browser (a context of its own: cookies, language, viewport) at base_url."""

    def __init__(self, browser, base_url: str, *, phone: bool = False, locale: str = "zh-CN"):
        self.base_url = base_url
        self.context = browser.new_context(
            base_url=base_url, locale=locale, viewport=PHONE if phone else DESKTOP, accept_downloads=True
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        # A home's blocks load after the page (portal/homes.py): wait until each has come or said it failed.
        from playwright.sync_api import expect

        expect(self.page.locator("[data-lazy-block][aria-busy]")).to_have_count(0)
        return self.page

    def login(self, username: str, password: str = PASSWORD):
        page = self.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    def logout(self):
        self.context.clear_cookies()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def close(self):
        assert not self.errors, f"JavaScript errors: {self.errors}"
        self.context.close()


@pytest.fixture
def session(browser, base_url):
    """session(username=None, phone=False, locale="zh-CN") → a Session, signed in when a username is given;
    closed (and checked for JavaScript errors) after the test."""
    opened: list[Session] = []

    def open_session(username: str | None = None, *, phone: bool = False, locale: str = "zh-CN") -> Session:
        person = Session(browser, base_url, phone=phone, locale=locale)
        opened.append(person)
        if username:
            person.login(username)
        return person

    yield open_session
    for person in opened:
        person.close()
