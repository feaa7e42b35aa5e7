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
    _check(aggregates, queryset)
    by_length: dict[int, list[str]] = {}
    for path in dict.fromkeys(paths):
        by_length.setdefault(len(path), []).append(path)
    out: dict[str, dict] = {}
    for length, group in by_length.items():
        rows = _grouped(queryset, path_field, common_ancestor(group), length, aggregates, only=group)
        for path in group:
            out[path] = rows.get(path) or _zeros(aggregates)
    return out


def per_child(queryset: QuerySet | Rows, area: Area, *, path_field: str, **aggregates) -> Breakdown:
    """`aggregates` over the rows of `queryset` under `area`, for its own rows and per child area (the rule
    in the module's docstring). One statement where the figures are sums over a derived table (a grouped
    queryset, or figures on the model's own columns: `_summed_sql`): the figures grouped by the child's path
    prefix and the child areas, joined; else two, the aggregate query and the children."""
    _check(aggregates, queryset)
    width = len(area.path) + area.steplen
    if _distinct(aggregates):  # the lines per prefix as below, the total counted once over the subtree
        rows = _aggregated(_prefixed(queryset, path_field, area.path, width), aggregates)
        result = _breakdown(area, rows, aggregates)
        result.total = per_subtree(queryset, [area.path], path_field=path_field, **aggregates)[area.path]
        return result
    if _summable(queryset, aggregates):
        statement = _summed_sql(queryset, path_field, area.path, width, aggregates)
        if statement is None:  # a queryset that can hold no row
            return _breakdown(area, {}, aggregates)
        return _with_children(area, *statement, aggregates, queryset.db)
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
    queryset: QuerySet, path_field: str, under: str, length: int, aggregates: dict, only=None
) -> dict[str, dict]:
    """{prefix: figures} of the rows under `under`, grouped by the first `length` characters of their path
    (a row on a shorter path groups under its whole path), optionally only the prefixes in `only`."""
    if _summable(queryset, aggregates):
        return _sum_grouped(queryset, path_field, under, length, aggregates, only)
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


def _summable(queryset: QuerySet, aggregates: dict) -> bool:
    """Are the figures sums over a derived table of the rows (`_summed_sql`)? Never a distinct count (the
    derived table counts rows), which needs the plain rows."""
    if _distinct(aggregates):
        if _is_grouped(queryset):
            raise TypeError("roll-up: a distinct count needs the plain rows, not a grouped queryset")
        return False
    return _is_grouped(queryset) or _on_own_columns(queryset.model, aggregates)


def _aggregated(rows: QuerySet, aggregates: dict) -> dict[str, dict]:
    """Django's aggregate per prefix (figures that follow relations)."""
    return {row.pop(_PREFIX): row for row in rows.values(_PREFIX).annotate(**aggregates)}


def _with_children(area: Area, figures_sql: str, params: list, names: Iterable[str], db: str) -> Breakdown:
    """`per_child` in one statement: the area and its children (read as Area objects), each joined to its
    figures (`figures_sql`: one row per path prefix, the grouped rows being read once); the area's row
    carries its own line, a retired child is kept only with rows under it."""
    names = tuple(names)
    _sql, path_at, attnames = _area_columns(db)
    low, high, child_depth = children_bounds(area.path)
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"WITH f AS ({figures_sql}) {_children_sql(db, names)}",
            [*params, area.path, child_depth, low, high],
        )
        found = cursor.fetchall()
    width, path_at = len(names), len(names) + path_at
    result = Breakdown(area, own=_zeros(names))
    lines = []  # (path, figures, the area's columns) of each child kept
    for row in found:
        figures = [value or 0 for value in row[:width]]
        if row[path_at] == area.path:
            result.own = dict(zip(names, figures, strict=True))
        elif not row[width + _RETIRED_AT] or any(value is not None for value in row[:width]):
            lines.append((row[path_at], figures, row[width:]))
    lines.sort(key=lambda line: line[0])
    make = _area_maker(db)
    result.children = [
        (make(attnames, values), dict(zip(names, figures, strict=True))) for _p, figures, values in lines
    ]
    # the total: the own line and the children's, summed figure by figure
    sums = [sum(column) for column in zip(*(f for _p, f, _v in lines), strict=True)] if lines else [0] * width
    result.total = {name: result.own[name] + value for name, value in zip(names, sums, strict=True)}
    return result


@cache
def _area_columns(db: str) -> tuple[str, int, list[str]]:
    """The areas' columns as `_with_children` selects them (`c.…`), the position of the path among them,
    and their attribute names (for `Area.from_db`): the same text for every call on a database."""
    quote = connections[db].ops.quote_name
    fields = Area._meta.concrete_fields
    columns = ", ".join(f"c.{quote(field.column)}" for field in fields)
    path_at = [field.name for field in fields].index("path")
    return columns, path_at, [field.attname for field in fields]


@cache  # the same text for every call of a figure on a database
def _children_sql(db: str, names: tuple[str, ...]) -> str:
    """`_with_children`'s statement after its figures (`WITH f AS (…)`): the area and its children, each
    with its line of figures."""
    quote = connections[db].ops.quote_name
    path = quote("path")
    return (
        f"SELECT {', '.join(f'f.{quote(name)}' for name in names)}, {_area_columns(db)[0]} "
        f"FROM {quote(Area._meta.db_table)} c LEFT JOIN f ON f.{quote(_PREFIX)} = c.{path} "
        f"WHERE c.{path} = %s OR (c.{quote('depth')} = %s AND c.{path} BETWEEN %s AND %s)"
    )


_RETIRED_AT = [field.name for field in Area._meta.concrete_fields].index("retired")


def _area_maker(db: str) -> Callable:
    """`make(attnames, values)` → the Area of a row of all its concrete columns, as `Area.from_db` makes it.
    While no receiver listens to Area's `pre_init` or `post_init` (none does: Django's own are for image
    fields), without `Model.__init__`: its values set as `__init__` sets them (an area has no relation,
    whose id has a descriptor of its own), its state that of a row read from `db`. ~5 µs an area less,
    for the dozen children of every line of every figure per child."""
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
    queryset: QuerySet, path_field: str, under: str, length: int, aggregates: dict, only=None
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
    queryset keeps the range inside as well, so that only the subtree's rows are grouped."""
    grouped = _is_grouped(queryset)
    model = None if grouped else queryset.model
    connection = connections[queryset.db]
    quote = connection.ops.quote_name

    def prepare(column, value):
        field = _own_field(model, column) if model is not None else None
        return field.get_db_prep_value(value, connection) if field is not None else value

    columns, outer, outer_params = [], [], []
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
            condition = _condition(aggregate.filter, quote, outer_params, prepare)
            columns += _columns(aggregate.filter)
            value = f"CASE WHEN {condition} THEN {value} ELSE 0 END"
        outer.append(f"SUM({value}) AS {quote(name)}")
    if isinstance(queryset, Rows):  # the part's own statement, its subtree's rows only
        sql, params = queryset.statement(under)
    elif (plain := _every_row(queryset, dict.fromkeys(columns), path_field, connection)) is not None:
        sql, params = plain
    else:
        rows = queryset.filter(_within(under, path_field)) if grouped and under else queryset
        try:
            sql, params = (
                rows.order_by()
                .values(*dict.fromkeys(columns), **{_PATH: F(path_field)})
                .query.sql_with_params()
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
        f"SELECT {prefix} AS {quote(_PREFIX)}, {', '.join(outer)} FROM ({sql}) {quote('rollup_rows')}"
        f"{' WHERE ' + ' AND '.join(where) if where else ''} GROUP BY {prefix}"
    )
    return statement, [*outer_params, *params, *where_params]


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
    queryset: QuerySet, path_field: str, under: str, length: int, aggregates: dict, only=None
) -> dict[str, dict]:
    """{prefix: figures}: `_summed_sql` run."""
    statement = _summed_sql(queryset, path_field, under, length, aggregates, only)
    if statement is None:
        return {}
    with connections[queryset.db].cursor() as cursor:
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
