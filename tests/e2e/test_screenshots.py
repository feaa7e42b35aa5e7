"""Screenshots of each role's main pages, on a phone (360 px) and on a desktop (1280 px), for
docs/screenshots/ and the README. Written only when asked: `make screenshots`
(E2E_SCREENSHOTS=docs/screenshots); PNGs reduced to a 256-colour palette (a few dozen kB each)."""

import os
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import ROOT

TARGET = os.environ.get("E2E_SCREENSHOTS", "")

# (username, path, name): every role's home on both, and the pages a newcomer should see first. A path given
# as (list page, pattern) is the first record that list links to, as its user reaches it (a matter, a case).
PAGES = [
    ("resident", "/", "home"),
    ("resident", "/gatherings/", "gatherings"),
    ("resident", ("/selfgov/", r"^/selfgov/matters/\d+/$"), "selfgov-matter"),
    ("resident", "/virtue/campaigns/", "campaigns"),
    ("resident", "/virtue/store/", "points-store"),
    ("resident", ("/lawgov/stations/", r"^/lawgov/stations/\d+/$"), "legal-station"),
    ("member", "/", "home"),
    ("member", "/members/mine/", "my-record"),
    ("branch", "/members/worklist/", "worklist"),
    ("partner", "/", "home"),
    ("partner", "/cogov/worklist/", "cogov-worklist"),
    ("grid", "/", "home"),
    ("grid", "/gridwork/visits/", "visit-log"),
    ("mediator", "/", "home"),
    ("mediator", "/lawgov/disputes/caseload/", "caseload"),
    ("mediator", ("/lawgov/disputes/caseload/", r"^/lawgov/disputes/\d+/$"), "dispute-case"),
    ("lawyer", "/", "home"),
    ("lawyer", ("/lawgov/stations/", r"^/lawgov/stations/\d+/$"), "legal-station"),
    ("worker", "/", "home"),
    ("worker", "/accounts/verification/", "verification"),
    ("secretary", "/", "home"),
    ("secretary", "/orglife/", "orglife"),
    ("street", "/", "home"),
    ("street", "/duties/progress/", "task-progress"),
    ("county", "/", "home"),
    ("county", "/dashboard/", "dashboard"),
    ("city", "/", "home"),
    ("city", "/dashboard/", "dashboard"),
    ("auditor", "/audit/", "audit-log"),
    ("admin", "/accounts/users/", "users"),
]
# scrolled to before the shot (the map of the counties, below the figures)
SCROLL_TO = {("city", "dashboard"): "[data-area-map][data-map-ready]"}
# Every chart of the page drawn: ECharts' "finished" event (the drawing and its animation done) marks the
# area map data-map-ready and the bar charts data-chart-ready (static/grassroots/areamap.js, app.js); the map
# is drawn only after its GeoJSON is fetched, so neither the page's load nor a quiet network means it is.
CHARTS_DRAWN = """() => {
  const all = (selector, ready) => [...document.querySelectorAll(selector)].every((el) => el.dataset[ready]);
  return all("[data-area-map]", "mapReady") && all("[data-chart-source], [data-stack-chart]", "chartReady");
}"""


def wait_for_charts(page) -> None:
    """Until every chart on the page is drawn (its `finished` event), at most 30 s."""
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)


def open_page(person, path):
    """The page at `path`, or for (list page, pattern) the first record the list links to (or the list
    itself when it goes straight to its one record)."""
    if isinstance(path, str):
        return person.goto(path)
    listing, pattern = path
    page = person.goto(listing)
    here = page.url.removeprefix(person.base_url)
    hrefs = page.locator("main a[href^='/']").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))"
    )
    found = next((h for h in [here, *hrefs] if re.match(pattern, h.split("?")[0])), None)
    assert found, f"{listing} links to no record like {pattern}"
    return page if found == here else person.goto(found)


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
            page = open_page(person, path)
            page.wait_for_load_state("networkidle")  # htmx fragments loaded
            wait_for_charts(page)
            if (username, name) in SCROLL_TO:
                page.locator(SCROLL_TO[username, name]).scroll_into_view_if_needed()
            file = target / f"{username}-{name}-{device}.png"
            page.screenshot(path=file, animations="disabled")
            optimise(file)
