"""The one roll-up: a figure for a subtree, and the same figure per child area, for every part.

The rule, stated here once:

- A row belongs to the area its path field names (`area__path`, `branch__area__path`, …). It counts in the
  subtree of that area and of every area above it: **an area's total includes its own rows.**
- **Per child** of an area A, a row on A itself is A's *own* line, never a child's; a row below A counts in
  the one child whose subtree holds it. Every live child gets a line, with zeros when nothing lies under it; a
  retired child gets one only while rows still lie under it. So the own line and the child lines add up to
  A's total, always: the total is their sum, not a second pass over the rows.
- The figures are additive aggregates, `Count` and `Sum`, so that sums of lines are totals; an area without
  rows has 0 for each. One exception: a **distinct count** (`Count("user", distinct=True)`: people, where a
  person has several rows in several areas) counts each value once per line, so the lines do not add up: a
  person counted in two children is one in the total. `per_child` then counts the total once more over the
  subtree (one more statement, still none per child); `over_subtrees` counts a union of subtrees once.

Both functions filter with the index range of the subtree's paths (`subtree_bounds`: for treebeard's paths
the same rows as `under_q`'s prefix test, which SQLite evaluates as a LIKE on every area of the subtree) and
group by the prefix of the path,
one aggregate query per call (`per_subtree`: one per distinct depth among the targets; `per_child`: one
statement with the children when the figures are summed over a derived table, see below, else two). A
queryset that is grouped already (one row per branch with aggregate annotations, as the organizational-life
compliance is) is summed as a derived table: `Sum` over its columns, `Count` of its rows; so are figures
that read only the model's own columns. A part may also hand its rows over as SQL it writes itself
(`Rows`: one row per thing, the figures' columns and the area path), summed the same way, for rows whose
statement costs Django more to build and compile than the database takes to run it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cache

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, router
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.base import ModelState
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import F
from django.db.models.functions import Substr
from django.db.models.signals import post_init, pre_init

from grassroots.areas.models import Area
from grassroots.areas.selectors import children_of
from grassroots.areas.subtree import children_bounds, common_ancestor, subtree_bounds

_PREFIX = "rollup_prefix"
_PATH = "rollup_path"


@dataclass
class Breakdown:
    """A subtree's figures: `own` (rows on the area itself), one `children` line per child (see the rule in
    the module's docstring) and `total`, their sum. Each figure set is {aggregate name: value}."""

    area: Area
    own: dict
    children: list[tuple[Area, dict]] = field(default_factory=list)
    total: dict = field(default_factory=dict)

    @property
    def has_own(self) -> bool:
        return any(self.own.values())

    def lines(self) -> list[tuple[Area | None, dict]]:
        """(None, own) first when the area has rows of its own, then (child, figures) in tree order."""
        return ([(None, self.own)] if self.has_own else []) + self.children


@dataclass(frozen=True)
class Rows:
    """Rows a part writes as SQL itself, for `per_child` and `per_subtree` to sum as they sum a grouped
    queryset (`_summed_sql`): `statement(under)` gives (sql, params) of one row per counted thing whose area
    lies under the path `under` ("": everywhere), with a column per name the figures read and the row's area
    path as `rollup_path` (the roll-up's `path_field` is then not used). The figures are `Count` (of rows)
    and `Sum("column")`, each with an optional filter on columns, as over a grouped queryset. For rows whose
    statement Django builds and compiles slower than the database runs it (organizational-life compliance:
    a CASE per slot and rule, ~17 ms of Python for a statement of a few ms). `model` names the table the
    rows come from, for the database router (a read replica), asked when the statement runs."""

    model: type
    statement: Callable[[str], tuple[str, list]]

    @property
    def db(self) -> str:
        return router.db_for_read(self.model)


def per_subtree(
    queryset: QuerySet | Rows, paths: Iterable[str], *, path_field: str, **aggregates
) -> dict[str, dict]:
    """{path: its subtree's figures} for each of `paths`: `aggregates` over the rows of `queryset` whose
    `path_field` lies under the path (the area's own rows included). One query per distinct path length."""
    plan = _plan(queryset, aggregates)
    by_length: dict[int, list[str]] = {}
    for path in dict.fromkeys(paths):
        by_length.setdefault(len(path), []).append(path)
    out: dict[str, dict] = {}
    for length, group in by_length.items():
        rows = _grouped(queryset, path_field, common_ancestor(group), length, aggregates, plan, only=group)
        for path in group:
            out[path] = rows.get(path) or _zeros(aggregates)
    return out


def per_child(queryset: QuerySet | Rows, area: Area, *, path_field: str, **aggregates) -> Breakdown:
    """`aggregates` over the rows of `queryset` under `area`, for its own rows and per child area (the rule
    in the module's docstring). One statement where the figures are sums over a derived table (a grouped
    queryset, or figures on the model's own columns: `_summed_sql`): the figures grouped by the child's path
    prefix and the child areas, joined; else two, the aggregate query and the children."""
    plan = _plan(queryset, aggregates)
    width = len(area.path) + area.steplen
    if plan.distinct:  # the lines per prefix as below, the total counted once over the subtree
        rows = _aggregated(_prefixed(queryset, path_field, area.path, width), aggregates)
        result = _breakdown(area, rows, aggregates)
        result.total = per_subtree(queryset, [area.path], path_field=path_field, **aggregates)[area.path]
        return result
    if plan.summed:
        statement = _summed_sql(queryset, path_field, area.path, width, plan)
        if statement is None:  # a queryset that can hold no row
            return _breakdown(area, {}, aggregates)
        return _with_children(area, *statement, aggregates, plan.db)
    return _breakdown(
        area, _aggregated(_prefixed(queryset, path_field, area.path, width), aggregates), aggregates
    )


def over_subtrees(queryset: QuerySet, paths: Iterable[str], *, path_field: str, **aggregates) -> dict:
    """`aggregates` over the rows of `queryset` under any of `paths` (a user's scope), in one aggregate: a row
    under two of them (a path under another) counts once, and so does a value of a distinct count found
    under several."""
    _check(aggregates)
    if isinstance(queryset, Rows):
        raise TypeError("roll-up: over_subtrees takes a queryset, not Rows")
    paths = list(dict.fromkeys(paths))
    if not paths:
        return _zeros(aggregates)
    within = Q()
    for path in paths:
        within |= _within(path, path_field)
    found = queryset.filter(within).order_by().aggregate(**aggregates)
    return {name: found.get(name) or 0 for name in aggregates}


def per_child_of(rows: Iterable, area: Area, *, path, **figures) -> Breakdown:
    """`per_child` of rows fetched already (a page that lists the rows and shows their roll-up aggregates
    once): `path(row)` is the row's area path, each figure a function of one row, summed per line in one
    pass (the same rule as `per_child`; rows outside the subtree are left out). One query: the children."""
    width, under = len(area.path) + area.steplen, area.path
    by_prefix: dict[str, list] = {}
    for row in rows:
        row_path = path(row)
        if row_path is not None and row_path.startswith(under):  # `lies_under` of one path, inline
            by_prefix.setdefault(row_path[:width], []).append(row)
    grouped = {
        prefix: {name: sum(map(figure, lines)) for name, figure in figures.items()}
        for prefix, lines in by_prefix.items()
    }
    return _breakdown(area, grouped, figures)


def distribution_per_child(
    queryset: QuerySet, area: Area, *, path_field: str, value: str
) -> dict[str, Counter]:
    """How often each value of the column `value` occurs among the rows under `area`, per line of the rule:
    {area.path: the own rows' counts, child path: its subtree's counts} (NULL values left out). Counts add up
    like the figures (a line's `Counter`s summed give the total), so a figure that is not additive, such as a
    median (`median`), is read from the merged counts, never from the rows. One query, grouped by path prefix
    and value: its rows are bounded by the children times the distinct values."""
    width = len(area.path) + area.steplen
    rows = _prefixed(queryset.filter(**{f"{value}__isnull": False}), path_field, area.path, width)
    out: dict[str, Counter] = {}
    for prefix, found, n in (
        rows.values(_PREFIX, value).annotate(n=Count("pk")).values_list(_PREFIX, value, "n")
    ):
        out.setdefault(prefix, Counter())[found] += n
    return out


def median(counts: Counter) -> float | None:
    """The median of the values counted in `counts` ({value: how many}); None when empty."""
    n = sum(counts.values())
    if not n:
        return None
    ordered = sorted(counts.items())
    wanted = (n - 1) // 2, n // 2  # the middle one, or the middle two
    found, seen = [], 0
    for value, count in ordered:
        for index in wanted:
            if seen <= index < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def _breakdown(area: Area, rows: dict[str, dict], names: Iterable[str]) -> Breakdown:
    """The breakdown of `area` from its figures grouped by child path prefix (the own rows under its path)."""
    result = Breakdown(area, own=rows.pop(area.path, None) or _zeros(names))
    for child in children_of(area):
        if child.path in rows or not child.retired:
            result.children.append((child, rows.get(child.path) or _zeros(names)))
    result.total = add(names, result.own, *(values for _child, values in result.children))
    return result


def add(names: Iterable[str], *figures: dict) -> dict:
    """The sum of figure sets, name by name (None counts as 0)."""
    return {name: sum(f.get(name) or 0 for f in figures) for name in names}


def _zeros(names: Iterable[str]) -> dict:
    return dict.fromkeys(names, 0)


def _check(aggregates: dict, queryset=None) -> None:
    if isinstance(queryset, Rows) and _distinct(aggregates):
        raise TypeError("roll-up: a distinct count needs the plain rows as a queryset, not Rows")
    for name, aggregate in aggregates.items():
        if not isinstance(aggregate, Count | Sum) or (aggregate.distinct and isinstance(aggregate, Sum)):
            raise TypeError(f"roll-up figure {name!r}: only Count and Sum add up over children")


def _distinct(aggregates: dict) -> bool:
    """Does a figure count distinct values (the lines do not add up to the total: the module's docstring)?"""
    return any(isinstance(aggregate, Count) and aggregate.distinct for aggregate in aggregates.values())


def _grouped(
    queryset: QuerySet, path_field: str, under: str, length: int, aggregates: dict, plan: _Plan, only=None
) -> dict[str, dict]:
    """{prefix: figures} of the rows under `under`, grouped by the first `length` characters of their path
    (a row on a shorter path groups under its whole path), optionally only the prefixes in `only`."""
    if plan.summed:
        return _sum_grouped(queryset, path_field, under, length, aggregates, plan, only)
    rows = _prefixed(queryset, path_field, under, length)
    if only is not None:
        rows = rows.filter(_only(only, path_field))
    return _aggregated(rows, aggregates)


# Up to this many targets are chosen by their index ranges, more by their prefixes.
_RANGES_AT_MOST = 32


def _only(paths, path_field: str) -> Q:
    """The rows under one of `paths` (all of one length: the prefixes grouped by). As their index ranges,
    which the planner counts right; `SUBSTRING(path) IN (…)` it guesses at half a percent of the rows, and at
    tier L on PostgreSQL that made it scan the 1.26 million areas for the duties of eight counties (0.6 s
    against the bare statement's 0.2 s). Past `_RANGES_AT_MOST` paths, the prefixes (a long OR is dearer to
    plan than the guess costs)."""
    paths = list(paths)
    if not paths or len(paths) > _RANGES_AT_MOST:
        return Q(**{f"{_PREFIX}__in": paths})
    within = Q()
    for path in paths:
        within |= _within(path, path_field)
    return within


def _prefixed(queryset: QuerySet, path_field: str, under: str, length: int) -> QuerySet:
    """The rows under `under` (all of them without it), each with its path's first `length` characters."""
    rows = queryset.filter(_within(under, path_field)) if under else queryset
    return rows.annotate(**{_PREFIX: Substr(path_field, 1, length)}).order_by()


def _within(under: str, path_field: str) -> Q:
    """The rows whose `path_field` lies under `under`, as the index range alone (`subtree_bounds`)."""
    return Q(**{f"{path_field}__range": subtree_bounds(under)})


@dataclass(frozen=True, slots=True)
class _Plan:
    """What `per_child` and `per_subtree` do with a call's figures over its rows (`_plan`): `distinct`, a
    figure counts distinct values (the plain rows, the total counted once more); `summed`, the figures are
    sums over a derived table of the rows (`_summed_sql`), whose outer statement then sums `sums` (its
    `SUM(…) AS name` list, with `params`) over the inner rows' `columns`. `db`: the rows' database."""

    db: str
    distinct: bool = False
    summed: bool = False
    sums: str = ""
    columns: tuple[str, ...] = ()
    params: tuple = ()


def _plan(queryset: QuerySet | Rows, aggregates: dict) -> _Plan:
    """The call's `_Plan`, kept per figure shape: the same figures (`_shape`: their classes, columns, filters
    and the filters' values) over rows of the same model, of the same kind (a queryset, grouped or not, or
    `Rows`) on the same database make the same plan, so it is made once (`_planned`) and read from
    `_PLANS` after. Figures without a shape (an expression, a value of another type) are planned each call.
    Raises TypeError for figures the roll-up cannot add up (never kept)."""
    db = queryset.db
    grouped = _is_grouped(queryset)
    shape = _shape(aggregates)
    if shape is None:
        return _planned(queryset, aggregates, db, grouped)
    key = (db, queryset.model, type(queryset) is Rows, grouped, shape)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _planned(queryset, aggregates, db, grouped)
        if len(_PLANS) >= _PLANS_AT_MOST:  # figures whose filters take a date: a new shape each day
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


_PLANS: dict[tuple, _Plan] = {}
_PLANS_AT_MOST = 512


def _planned(queryset: QuerySet | Rows, aggregates: dict, db: str, grouped: bool) -> _Plan:
    """`_plan` made: the figures checked; summed over a derived table when the queryset is grouped (or
    `Rows`) or the figures read only the model's own columns (`_on_own_columns`); never a distinct count (the
    derived table counts rows), which needs the plain rows."""
    _check(aggregates, queryset)
    if _distinct(aggregates):
        if grouped:
            raise TypeError("roll-up: a distinct count needs the plain rows, not a grouped queryset")
        return _Plan(db, distinct=True)
    if not grouped and not _on_own_columns(queryset.model, aggregates):
        return _Plan(db)
    sums, columns, params = _sums(aggregates, None if grouped else queryset.model, connections[db])
    return _Plan(db, summed=True, sums=sums, columns=columns, params=params)


# A filter's value in a figure's shape: of these types, equal values (of one type) are the same value to the
# database (not so a float's -0.0 and 0.0 or a Decimal's 1.0 and 1.00 written as text, an aware datetime's
# equal instants in two zones written as text): an enum's member, or one of these exactly.
_EXACT = frozenset((str, int, bool, type(None), date))


def _shape(aggregates: dict) -> tuple | None:
    """What `_planned` reads of the figures, as a key: per figure its name, class, distinct flag, column and
    filter (`_q_shape`); None when a figure is not a `Count` or `Sum` (exactly) of a column `F` with such a
    filter (planned every time)."""
    shape = []
    for name, aggregate in aggregates.items():
        kind = type(aggregate)
        if kind is not Count and kind is not Sum:
            return None
        source = aggregate.get_source_expressions()[0]
        if type(source) is not F:
            return None
        condition = aggregate.filter
        if condition is not None and (condition := _q_shape(condition)) is None:
            return None
        shape.append((name, kind, aggregate.distinct, source.name, condition))
    return tuple(shape)


def _q_shape(q) -> tuple | None:
    """A `Q` as a key: (connector, negated, its children's keys), a child `(lookup, value key)` or a `Q`'s;
    a value is `(its type, itself)` for the `_EXACT` types and enum members, `(F, column)` for a column, a
    list or tuple of those for `__in`. None for anything else."""
    if type(q) is not Q:
        return None
    children = []
    for child in q.children:
        if type(child) is tuple and len(child) == 2 and type(child[0]) is str:
            value = _value_shape(child[1])
            if value is None:
                return None
            children.append((child[0], value))
        elif (child := _q_shape(child)) is not None:
            children.append(child)
        else:
            return None
    return (q.connector, q.negated, tuple(children))


def _value_shape(value) -> tuple | None:
    kind = type(value)
    if kind in _EXACT or isinstance(value, Enum):
        return (kind, value)
    if kind is F:
        return (F, value.name)
    if kind is list or kind is tuple:
        items = tuple(map(_value_shape, value))
        return None if None in items else (kind, items)
    return None


def _aggregated(rows: QuerySet, aggregates: dict) -> dict[str, dict]:
    """Django's aggregate per prefix (figures that follow relations)."""
    return {row.pop(_PREFIX): row for row in rows.values(_PREFIX).annotate(**aggregates)}


def _with_children(area: Area, figures_sql: str, params: list, names: Iterable[str], db: str) -> Breakdown:
    """`per_child` in one statement: the area and its children (read as Area objects, `_area_columns`), each
    joined to its figures (`figures_sql`: one row per path prefix, the grouped rows being read once); the
    area's row carries its own line, a retired child is kept only with rows under it."""
    names = tuple(names)
    _sql, attnames = _area_columns(db)
    _low, high, child_depth = children_bounds(area.path)
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"WITH f AS ({figures_sql}) {_children_sql(db, names)}",
            [*params, child_depth - 1, child_depth, area.path, high],
        )
        found = cursor.fetchall()
    width = len(names)
    path_at, retired_at = width + _PATH_AT, width + _RETIRED_AT
    own, kept = [0] * width, []  # the own line's figures, the children's rows kept
    for row in found:
        if row[path_at] == area.path:
            own = [value or 0 for value in row[:width]]
        elif not row[retired_at] or any(value is not None for value in row[:width]):
            kept.append(row)
    kept.sort(key=lambda row: row[path_at])
    figures = [[value or 0 for value in row[:width]] for row in kept]
    make = _area_maker(db)
    return Breakdown(
        area,
        own=dict(zip(names, own, strict=True)),
        children=[
            (make(attnames, row[width:]), dict(zip(names, line, strict=True)))
            for row, line in zip(kept, figures, strict=True)
        ],
        # the total: the own line and the children's, summed figure by figure
        total=dict(zip(names, map(sum, zip(own, *figures, strict=True)), strict=True)),
    )


# Not read for a child's line (`Model.refresh_from_db` on access): its creation time, the only column the
# database driver converts in Python (SQLite: a datetime parsed per row, and naive where Django's own reads
# make it aware).
_DEFERRED = frozenset(("created_at",))
_READ = [field for field in Area._meta.concrete_fields if field.name not in _DEFERRED]


@cache
def _area_columns(db: str) -> tuple[str, list[str]]:
    """The areas' columns as `_with_children` selects them (`c.…`, every concrete one but `_DEFERRED`) and
    their attribute names (for `Area.from_db`): the same text for every call on a database."""
    quote = connections[db].ops.quote_name
    return ", ".join(f"c.{quote(field.column)}" for field in _READ), [field.attname for field in _READ]


@cache  # the same text for every call of a figure on a database
def _children_sql(db: str, names: tuple[str, ...]) -> str:
    """`_with_children`'s statement after its figures (`WITH f AS (…)`): the area and its children, each
    with its line of figures. Both by one range of the (depth, path) index: at the area's depth and the
    next, the paths from the area's to its last child's hold the area and its children only (a sibling's
    path, as long as the area's, differs from it before its end, so it sorts outside; a deeper area is at
    neither depth); an `OR` of the area's path and the children's range, SQLite reads by two indexes and a
    set of row ids (~10 µs of a 0.2 ms statement at tier M)."""
    quote = connections[db].ops.quote_name
    path = quote("path")
    return (
        f"SELECT {', '.join(f'f.{quote(name)}' for name in names)}, {_area_columns(db)[0]} "
        f"FROM {quote(Area._meta.db_table)} c LEFT JOIN f ON f.{quote(_PREFIX)} = c.{path} "
        f"WHERE c.{quote('depth')} IN (%s, %s) AND c.{path} BETWEEN %s AND %s"
    )


_PATH_AT = [field.name for field in _READ].index("path")
_RETIRED_AT = [field.name for field in _READ].index("retired")


def _area_maker(db: str) -> Callable:
    """`make(attnames, values)` → the Area of a row of its columns (`_area_columns`), as `Area.from_db` makes
    it (the columns not read deferred). While no receiver listens to Area's `pre_init` or `post_init` (none
    does: Django's own are for image fields), without `Model.__init__`: its values set as `__init__` sets them
    (an area has no relation, whose id has a descriptor of its own), its state that of a row read from `db`.
    ~5 µs an area less, for the dozen children of every line of every figure per child."""
    if pre_init.has_listeners(Area) or post_init.has_listeners(Area) or _AREA_RELATIONS:
        return lambda attnames, values: Area.from_db(db, attnames, values)

    def make(attnames, values):
        area = object.__new__(Area)
        state = area._state = ModelState()
        state.adding, state.db = False, db
        area.__dict__.update(zip(attnames, values, strict=True))
        return area

    return make


_AREA_RELATIONS = any(field.is_relation for field in Area._meta.concrete_fields)


def _on_own_columns(model, aggregates: dict) -> bool:
    """Do the figures count rows (`Count("pk")`) or add the model's own columns, filtered on its own columns
    only? Then they are summed over the plain rows as over a grouped queryset's: Django's SQL for a dozen
    filtered aggregates costs more to build than the aggregate takes to run on a small table."""
    for aggregate in aggregates.values():
        source = aggregate.get_source_expressions()[0]
        if not isinstance(source, F):
            return False
        if isinstance(aggregate, Count) and source.name not in ("pk", model._meta.pk.name):
            return False
        if isinstance(aggregate, Sum) and _own_field(model, source.name) is None:
            return False
        if aggregate.filter is not None and not _own_lookups(model, aggregate.filter):
            return False
    return True


@cache  # a model's fields do not change once Django is set up; asked for each figure and filter of a call
def _own_field(model, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Not null: a negated filter then means what Django's ~Q means (which also keeps NULL rows).
    return field if field.concrete and not field.is_relation and not field.null else None


def _own_lookups(model, q: Q) -> bool:
    for child in q.children:
        if isinstance(child, Q):
            if not _own_lookups(model, child):
                return False
            continue
        lookup, value = child
        column, _, op = lookup.partition("__")
        if _own_field(model, column) is None or (op or "exact") not in _OWN_OPERATORS:
            return False
        if isinstance(value, F) and _own_field(model, value.name) is None:
            return False
        if not isinstance(value, F) and hasattr(value, "resolve_expression"):
            return False
    return True


def _is_grouped(queryset: QuerySet | Rows) -> bool:
    if isinstance(queryset, Rows):  # rows of its own statement: summed like a grouped queryset's
        return True
    return any(getattr(a, "contains_aggregate", False) for a in queryset.query.annotations.values())


_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_OWN_OPERATORS = frozenset((*_OPERATORS, "in"))


def _condition(q: Q, quote, params: list, prepare) -> str:
    """SQL for a filter over the derived table's columns: `column[__op]=value` (value a number, a list for
    `__in`, or F("other column")), joined by the Q's AND or OR, negated by ~. `prepare(column, value)` gives
    the value as the database takes it."""
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            parts.append(f"({_condition(child, quote, params, prepare)})")
            continue
        lookup, value = child
        column, _, op = lookup.partition("__")
        if isinstance(value, F):
            right = quote(value.name)
        elif op == "in":
            values = [prepare(column, v) for v in value]
            params.extend(values)
            parts.append(f"{quote(column)} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0")
            continue
        else:
            right = "%s"
            params.append(prepare(column, value))
        parts.append(f"{quote(column)} {_OPERATORS[op or 'exact']} {right}")
    sql = f" {q.connector} ".join(parts)
    return f"NOT ({sql})" if q.negated else sql


def _summed_sql(
    queryset: QuerySet, path_field: str, under: str, length: int, plan: _Plan, only=None
) -> tuple[str, list] | None:
    """The statement (and its parameters; None when no row can match) that sums the rows of `queryset` under
    `under` per prefix of `length` characters (optionally only the prefixes in `only`), as a derived table
    (Django has no GROUP BY over a subquery): a grouped queryset's rows, or plain rows whose figures read only
    the model's own columns. `Count(...)` counts its rows, `Sum("column")` adds a column up, and either may
    take a `filter` on columns (`Q(required__gt=0, met=F("required"))`, `__in`, ~, |).
    Each per-row figure is computed once, in the inner query, where Django would write it again in every
    expression that uses it. Django compiles only the inner query, the rows with their columns and their area
    path; the path range, the prefix and the sums are plain text in the outer statement (a filter and an
    annotation cost Django more to resolve and compile than the statement takes to run on a small table; the
    range is pushed into the inner query by both databases, so the path index still serves it). A grouped
    queryset keeps the range inside as well, so that only the subtree's rows are grouped. The sums come
    from the call's `_Plan` (`_sums`)."""
    connection = connections[plan.db]
    quote = connection.ops.quote_name
    if isinstance(queryset, Rows):  # the part's own statement, its subtree's rows only
        sql, params = queryset.statement(under)
    elif (plain := _every_row(queryset, plan.columns, path_field, connection)) is not None:
        sql, params = plain
    else:
        rows = queryset.filter(_within(under, path_field)) if under and _is_grouped(queryset) else queryset
        try:
            sql, params = (
                rows.order_by().values(*plan.columns, **{_PATH: F(path_field)}).query.sql_with_params()
            )
        except EmptyResultSet:  # a queryset that can hold no row (.none(), an empty IN)
            return None
    path = quote(_PATH)
    prefix = f"SUBSTR({path}, 1, {int(length)})"
    where, where_params = [], []
    if under:
        where.append(f"{path} BETWEEN %s AND %s")
        where_params += subtree_bounds(under)
    if only is not None:
        only = list(only)
        where.append(f"{prefix} IN ({', '.join(['%s'] * len(only))})" if only else "1 = 0")
        where_params += only
    statement = (
        f"SELECT {prefix} AS {quote(_PREFIX)}, {plan.sums} FROM ({sql}) {quote('rollup_rows')}"
        f"{' WHERE ' + ' AND '.join(where) if where else ''} GROUP BY {prefix}"
    )
    return statement, [*plan.params, *params, *where_params]


def _sums(aggregates: dict, model, connection) -> tuple[str, tuple[str, ...], tuple]:
    """The outer statement's sums of `_summed_sql` (`SUM(…) AS name, …`), the inner rows' columns they read
    (each once) and their parameters: a `Count` sums 1 per row, a `Sum` its column, either in a `CASE` of
    its filter (`_condition`). A filter's values go through `model`'s field of the column (none over a
    grouped queryset's columns)."""
    quote = connection.ops.quote_name

    def prepare(column, value):
        field = _own_field(model, column) if model is not None else None
        return field.get_db_prep_value(value, connection) if field is not None else value

    columns, outer, params = [], [], []
    for name, aggregate in aggregates.items():
        if isinstance(aggregate, Count):
            value = "1"
        else:
            source = aggregate.get_source_expressions()[0]
            if not isinstance(source, F):
                raise TypeError(f"roll-up figure {name!r}: over a grouped queryset, Sum takes a column name")
            columns.append(source.name)
            value = quote(source.name)
        if aggregate.filter is not None:
            condition = _condition(aggregate.filter, quote, params, prepare)
            columns += _columns(aggregate.filter)
            value = f"CASE WHEN {condition} THEN {value} ELSE 0 END"
        outer.append(f"SUM({value}) AS {quote(name)}")
    return ", ".join(outer), tuple(dict.fromkeys(columns)), tuple(params)


def _every_row(queryset: QuerySet, columns: Iterable[str], path_field: str, connection) -> tuple | None:
    """The rows of a queryset that holds every row of its model (`Model.objects.all()`: no filter, join,
    annotation or slice) with `columns` and their area path (`path_field`, through foreign keys) as
    `rollup_path`, written here; None for any other queryset, which Django compiles. A registered figure
    over a whole table (coverage's entities) then costs no compile: ~0.1 ms of Python for a statement of
    0.2 ms at tier M."""
    query = queryset.query
    if (
        query.where.children
        or query.alias_map
        or query.annotations
        or query.extra
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.values_select
    ):
        return None
    sql = _every_row_sql(queryset.model, tuple(columns), path_field, connection.alias)
    return None if sql is None else (sql, [])


@cache  # the same text for every call of a figure: its model, columns and path, on one database
def _every_row_sql(model, columns: tuple[str, ...], path_field: str, db: str) -> str | None:
    quote = connections[db].ops.quote_name
    table, alias, joins, select = model._meta.db_table, "t0", [], []
    *relations, last = path_field.split(LOOKUP_SEP)
    try:
        for name in columns:
            field = model._meta.get_field(name)
            if field.model is not model:  # a parent's column (multi-table inheritance), a proxy: Django's
                return None
            select.append(f"t0.{quote(field.column)} AS {quote(name)}")
        for n, name in enumerate(relations, 1):
            relation = model._meta.get_field(name)
            if (
                not (relation.many_to_one or relation.one_to_one)
                or not relation.concrete
                or relation.model is not model
            ):
                return None
            model = relation.related_model
            joins.append(
                f"{'LEFT JOIN' if relation.null else 'JOIN'} {quote(model._meta.db_table)} t{n}"
                f" ON t{n}.{quote(relation.target_field.column)} = {alias}.{quote(relation.column)}"
            )
            alias = f"t{n}"
        path = model._meta.get_field(last)
        if path.model is not model:
            return None
        select.append(f"{alias}.{quote(path.column)} AS {quote(_PATH)}")
    except FieldDoesNotExist:
        return None
    return f"SELECT {', '.join(select)} FROM {quote(table)} t0 {' '.join(joins)}"


def _sum_grouped(
    queryset: QuerySet, path_field: str, under: str, length: int, aggregates: dict, plan: _Plan, only=None
) -> dict[str, dict]:
    """{prefix: figures}: `_summed_sql` run."""
    statement = _summed_sql(queryset, path_field, under, length, plan, only)
    if statement is None:
        return {}
    with connections[plan.db].cursor() as cursor:
        cursor.execute(*statement)
        return {prefix: dict(zip(aggregates, values, strict=True)) for prefix, *values in cursor.fetchall()}


def _columns(q: Q) -> list[str]:
    out = []
    for child in q.children:
        if isinstance(child, Q):
            out += _columns(child)
        else:
            lookup, value = child
            out.append(lookup.partition("__")[0])
            if isinstance(value, F):
                out.append(value.name)
    return out
