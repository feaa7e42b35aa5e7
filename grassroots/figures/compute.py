"""The figures of the registry computed for an area (docs/figures.md): the subtree's value, the value per
child area (ranked, the ones behind first) and the monthly trend of a year. Every figure is computed by
aggregate queries over the path prefix (the one roll-up, grassroots/areas/rollup.py), never by a loop over
rows; the number of queries does not depend on the number of child areas:

- `totals`: one aggregate per figure (two for a median),
- `breakdown`: the roll-up per child (one or two statements; one more for a median),
- `monthly`: one aggregate grouped by month (twelve for a figure judged per period, `month_rows`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.rollup import (
    add,
    distribution_per_child,
    median,
    over_subtrees,
    per_child,
    per_subtree,
)
from grassroots.areas.subtree import subtree_bounds
from grassroots.figures.registry import Definition


@dataclass
class Line:
    """A figure for one line: a subtree (`area`), or the area's own rows (`own`)."""

    area: Area | None
    counts: dict
    value: object = None
    own: bool = False


@dataclass
class Result:
    definition: Definition
    area: Area
    year: int
    total: Line
    own: Line | None = None
    children: list[Line] = field(default_factory=list)  # ranked, the ones behind first


def _value(definition: Definition, counts: dict, days: Counter | None = None):
    if definition.median_of is not None:
        found = median(days or Counter())
        return None if found is None else Decimal(str(found)).quantize(Decimal("0.1"))
    if definition.value is None:
        return next(iter(counts.values()), 0)
    return definition.value(counts)


def _counts(definition: Definition, year: int, today: date) -> dict:
    if definition.counts is not None:
        return definition.counts(year, today)
    return {"n": Count("pk")}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def per_targets(definition: Definition, targets: Sequence[Area], year: int, today: date | None = None):
    """{target id: counts of its subtree} for several areas (one aggregate per depth among them)."""
    today = _today(today)
    rows = per_subtree(
        definition.rows(year, today),
        [t.path for t in targets],
        path_field=definition.path_field,
        **_counts(definition, year, today),
    )
    return {t.pk: rows[t.path] for t in targets}


def totals(
    figures: Sequence[Definition], area: Area, year: int, today: date | None = None
) -> dict[str, Line]:
    """{name: the line of `area`'s subtree} for each figure: one aggregate each (two for a median)."""
    today = _today(today)
    out = {}
    for definition in figures:
        counts = per_targets(definition, [area], year, today)[area.pk]
        days = None
        if definition.median_of is not None:
            days = sum(_distribution(definition, area, year, today).values(), Counter())
        out[definition.name] = Line(area, counts, _value(definition, counts, days))
    return out


def _distribution(definition: Definition, area: Area, year: int, today: date) -> dict[str, Counter]:
    return distribution_per_child(
        definition.rows(year, today), area, path_field=definition.path_field, value=definition.median_of
    )


def rank_key(definition: Definition):
    """The ones behind first: the lowest value (the highest with `behind="high"`); lines without a value
    last."""

    def key(line: Line):
        value = line.value
        if value is None:
            return (1, 0, line.area.path)
        return (0, value if definition.behind == "low" else -value, line.area.path)

    return key


def breakdown(definition: Definition, area: Area, year: int, today: date | None = None) -> Result:
    """The figure for `area`'s subtree, its own rows and each child area, the children ranked the ones behind
    first. The roll-up's statement(s), one more for a median; never one per child."""
    today = _today(today)
    counts = _counts(definition, year, today)
    rolled = per_child(definition.rows(year, today), area, path_field=definition.path_field, **counts)
    days = _distribution(definition, area, year, today) if definition.median_of is not None else {}
    children = [
        Line(child, values, _value(definition, values, days.get(child.path)))
        for child, values in rolled.children
    ]
    children.sort(key=rank_key(definition))
    own = None
    if rolled.has_own:
        own = Line(area, rolled.own, _value(definition, rolled.own, days.get(area.path)), own=True)
    all_days = sum(days.values(), Counter()) if days else None
    total = Line(area, rolled.total, _value(definition, rolled.total, all_days))
    return Result(definition, area, year, total, own, children)


def monthly(definition: Definition, area: Area, year: int, today: date | None = None) -> list[dict]:
    """[{"month": 1…12, "value": …, "counts": {…}}] of `year` for `area`'s subtree: the rows grouped by the
    month of `month_field` (one aggregate), or each month's rows (`month_rows`, twelve aggregates). Months
    after `today`'s are left out. [] for a figure without a trend."""
    today = _today(today)
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    if not definition.has_trend or not last:
        return []
    counts = _counts(definition, year, today)
    names = list(counts)
    if definition.month_rows is not None:
        out = []
        for month in range(1, last + 1):
            month_counts = counts
            if definition.month_counts is not None:
                month_counts = definition.month_counts(year, month, today)
            values = per_subtree(
                definition.month_rows(year, month, today),
                [area.path],
                path_field=definition.path_field,
                **month_counts,
            )[area.path]
            out.append({"month": month, "value": _value(definition, values), "counts": values})
        return out
    rows = definition.rows(year, today).filter(
        Q(**{f"{definition.path_field}__range": subtree_bounds(area.path)}),
        **{f"{definition.month_field}__year": year},
    )
    rows = rows.annotate(figure_month=ExtractMonth(definition.month_field)).order_by()
    by_month: dict[int, dict] = {}
    days_by_month: dict[int, Counter] = {}
    if definition.median_of is not None:
        column = definition.median_of
        for month, found, n in (
            rows.filter(**{f"{column}__isnull": False})
            .values("figure_month", column)
            .annotate(n=Count("pk"))
            .values_list("figure_month", column, "n")
        ):
            days_by_month.setdefault(month, Counter())[found] += n
    if definition.counts is not None or definition.median_of is None:
        for row in rows.values("figure_month").annotate(**counts):
            by_month[row.pop("figure_month")] = row
    out = []
    for month in range(1, last + 1):
        values = add(names, by_month.get(month, {}))
        out.append(
            {
                "month": month,
                "value": _value(definition, values, days_by_month.get(month)),
                "counts": values,
            }
        )
    return out


def over_paths(definition: Definition, paths: Sequence[str], year: int | None = None, today=None) -> dict:
    """The counts of `definition` summed over the subtrees of `paths` (a user's scope: a path lying under
    another is counted once, with the one above). One aggregate per depth among them; one over their union
    for a distinct count (a person working in two of them is one)."""
    today = _today(today)
    year = year or today.year
    tops = [p for p in dict.fromkeys(paths) if not any(p != q and p.startswith(q) for q in paths)]
    counts = _counts(definition, year, today)
    if definition.distinct:
        return over_subtrees(definition.rows(year, today), tops, path_field=definition.path_field, **counts)
    rows = per_subtree(definition.rows(year, today), tops, path_field=definition.path_field, **counts)
    return add(list(counts), *rows.values())
