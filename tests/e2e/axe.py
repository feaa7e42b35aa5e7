"""axe-core (npm, node_modules/axe-core) on a page: its serious and critical violations, described."""

from __future__ import annotations

from functools import cache

import pytest

from tests.e2e.conftest import AXE, AXE_MISSING, required

# What fails the test: axe's two upper levels of impact (moderate and minor are reported by axe, not here).
FAILING = ("serious", "critical")

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


# The accessibility tests' mark: skipped without axe-core, except under GRASSROOTS_E2E=require, where the
# check itself fails (`violations` below) rather than vanish from CI.
needs_axe = pytest.mark.skipif(not AXE.is_file() and not required(), reason=AXE_MISSING)


@cache
def _source() -> str:
    if not AXE.is_file():
        pytest.fail(AXE_MISSING)  # a journey's checks under GRASSROOTS_E2E=require, or without the mark
    return AXE.read_text()


def violations(page) -> list[str]:
    """The page's serious and critical violations as readable lines (empty when none). The script is
    evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    found = page.evaluate(RUN)
    return [
        f"{page.url}: {v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in FAILING
    ]
