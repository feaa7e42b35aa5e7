"""Screenshots of each role's main pages, on a phone (360 px) and on a desktop (1280 px), for
docs/screenshots/ and the README. Written only when asked: `make screenshots`
(E2E_SCREENSHOTS=docs/screenshots); PNGs reduced to a 256-colour palette (a few dozen kB each)."""

import os
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import ROOT

TARGET = os.environ.get("E2E_SCREENSHOTS", "")

# (username, path, name): every role's home on both, and the pages a newcomer should see first
PAGES = [
    ("resident", "/", "home"),
    ("resident", "/gatherings/", "gatherings"),
    ("member", "/", "home"),
    ("member", "/members/mine/", "my-record"),
    ("branch", "/members/worklist/", "worklist"),
    ("partner", "/", "home"),
    ("grid", "/", "home"),
    ("grid", "/gridwork/visits/", "visit-log"),
    ("mediator", "/", "home"),
    ("lawyer", "/", "home"),
    ("worker", "/", "home"),
    ("worker", "/accounts/verification/", "verification"),
    ("secretary", "/", "home"),
    ("secretary", "/orglife/", "orglife"),
    ("street", "/", "home"),
    ("street", "/duties/progress/", "task-progress"),
    ("city", "/", "home"),
    ("auditor", "/audit/", "audit-log"),
    ("admin", "/accounts/users/", "users"),
]


def optimise(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@pytest.mark.skipif(not TARGET, reason="screenshots are written on request: make screenshots (docs/e2e.md)")
@pytest.mark.parametrize("username", list(dict.fromkeys(user for user, _path, _name in PAGES)))
def test_screenshots(session, username):
    target = ROOT / TARGET
    target.mkdir(parents=True, exist_ok=True)
    for device, phone in (("phone", True), ("desktop", False)):
        person = session(username, phone=phone)
        for user, path, name in PAGES:
            if user != username:
                continue
            page = person.goto(path)
            page.wait_for_load_state("networkidle")  # charts and htmx fragments drawn
            file = target / f"{username}-{name}-{device}.png"
            page.screenshot(path=file, animations="disabled")
            optimise(file)
