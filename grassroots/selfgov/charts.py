"""The charts of 随手拍统计 (the quick reports' page): the bar chart by category stacked by state
(`grassroots.pages.stack_chart`) and the reports as points of the area map (`grassroots.pages.area_map`,
docs/figures.md), each point a link to its opinion's page (scoped there too)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from grassroots.pages import GOOD, NEUTRAL, area_map, stack_chart
from grassroots.selfgov.models import Category, OpinionState

STATE_COLOURS = {
    OpinionState.SUBMITTED: "#0d6efd",
    OpinionState.GROUPED: GOOD,
    OpinionState.REJECTED: NEUTRAL,
}


def reports_chart(counts: dict) -> dict:
    """The bar chart of 随手拍统计: one bar per category, stacked by state."""
    return stack_chart(
        Category.labels,
        [
            (label, [counts[c][state] for c in Category.values], STATE_COLOURS.get(state, NEUTRAL))
            for state, label in OpinionState.choices
        ],
        unit=_("件"),
    )


def reports_map(points: list[dict]) -> dict:
    """The quick reports as points of the area map, each a link to its opinion's page."""
    categories, states = dict(Category.choices), dict(OpinionState.choices)
    return area_map(
        points=[
            {
                "name": f"{categories.get(p['category'], '')}：{Truncator(p['text']).chars(24)}",
                "lng": p["lng"],
                "lat": p["lat"],
                "link": reverse("selfgov:opinion_detail", args=[p["id"]]),
                "kind": f"{states.get(p['state'], '')} · {p['area_name']}",
            }
            for p in points
        ],
        name=_("随手拍"),
    )
