"""Subtrees of the area tree, once for every part: the database filter and the same tests in Python.

An area's path is its ancestors' paths plus one step of `STEPLEN` characters (treebeard's materialized path:
digits and upper-case letters), so "X lies under Y" is "X's path starts with Y's" (an area lies under itself).

- `under_q(paths, field)`: the rows whose `field` lies under one of `paths`. Always use it, never
  `field__startswith`: on SQLite Django's `startswith` is a case-insensitive LIKE that cannot use the path
  index (a full table scan); the range beside the prefix can (docs/decisions.md).
- `holds_q(rows, path_field, depths)`: the areas with at least one of `rows` lying under them, as sets the
  database computes once: never `Exists(rows.filter(path_field__startswith=OuterRef("path")))`, a LIKE with a
  pattern made per area, which no index serves on either database.
- `lies_under(path, paths)`: the same test for one path in Python.
- `nested(a, b)`: one of two paths lies under the other (a grant and a working area, say).
- `outermost(paths)`: the paths none of which lies under another (nested subtrees collapse to the outer).
- `subtree_bounds(path)`: the index range of a subtree's paths.
- `children_q(path)`: the direct children of an area, as an index range on `Area.path` and `depth`.
- `common_ancestor(paths)`: the nearest area above all of `paths`.
- `ancestor_paths(paths)`: the paths above (and including) each of `paths`.

This module imports nothing of ours: it is the bottom of the tree layer.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce

from django.db.models import Q

STEPLEN = 4  # characters per level (Area.steplen)
_FIRST, _LAST = "0", "Z"  # the smallest and largest symbols of treebeard's alphabet
_PATH_MAX = 255  # Area.path's max_length


def _as_list(paths: str | Iterable[str]) -> list[str]:
    return [paths] if isinstance(paths, str) else list(paths)


def under_q(paths: str | Iterable[str], field: str = "area__path") -> Q:
    """Rows whose `field` lies under one of `paths` (a path or several; each area itself included); no row
    when `paths` is empty. The prefix test is the rule; the range beside it lets SQLite use the path index
    (its LIKE cannot, being case-insensitive), and PostgreSQL uses its pattern index either way."""
    clauses = [
        Q(
            **{
                f"{field}__startswith": path,
                f"{field}__gte": path,
                f"{field}__lte": subtree_bounds(path)[1],
            }
        )
        for path in outermost(_as_list(paths))
    ]
    return reduce(operator.or_, clauses) if clauses else Q(pk__in=[])


def holds_q(rows, path_field: str, depths: Iterable[int]) -> Q:
    """On `Area` rows at one of `depths`: the areas with at least one of `rows` (a queryset) lying under them,
    i.e. whose path is one of the rows' paths (`path_field`) cut to the area's length. One uncorrelated set of
    cut paths per depth, which each database computes once per statement and then looks up — not a subquery
    per area: a correlated `Exists(rows.filter(path_field__startswith=OuterRef("path")))` is a LIKE with a
    pattern made per area that no index serves, and PostgreSQL read every area of the tree for each of 1,000
    communities (the venues' coverage: 49 s at tier M; docs/performance.md, session 14). `depths`: where
    the areas can be (an area of level L lies at depth L or above, areas.rules.level_error)."""
    from django.db.models.functions import Substr

    clauses = [
        Q(depth=depth, path__in=rows.annotate(_cut=Substr(path_field, 1, depth * STEPLEN)).values("_cut"))
        for depth in sorted(set(depths))
    ]
    return reduce(operator.or_, clauses) if clauses else Q(pk__in=[])


def subtree_bounds(path: str) -> tuple[str, str]:
    """(lowest, highest) path of the subtree of the area at `path`: `path` and `path` padded with the largest
    symbol to the column's length. For treebeard's paths (digits and upper-case letters, at most 255
    characters) "lies between the two" is exactly "starts with `path`" in byte order (SQLite's BINARY, C
    collations) and in any collation that sorts digits before letters; `under_q` keeps the prefix test beside
    it as the rule, the roll-up filters with the range alone (docs/decisions.md)."""
    return path, path.ljust(_PATH_MAX, _LAST)


def lies_under(path: str | None, paths: str | Iterable[str]) -> bool:
    """Does `path` lie under one of `paths` (a path or several; a path lies under itself)? None does not."""
    return path is not None and any(path.startswith(p) for p in _as_list(paths))


def nested(a: str, b: str) -> bool:
    """Does one of the two paths lie under the other (or are they equal)?"""
    return a.startswith(b) or b.startswith(a)


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths none of which lies under another, sorted (nested subtrees collapse to the outer one)."""
    minimal: list[str] = []
    for path in sorted(set(paths)):
        if not minimal or not path.startswith(minimal[-1]):
            minimal.append(path)
    return minimal


def common_ancestor(paths: Iterable[str]) -> str:
    """The path of the nearest area above (or at) every one of `paths`; "" when they share no root."""
    paths = list(paths)
    if not paths:
        return ""
    first, last = min(paths), max(paths)  # what these two share, every path between them shares
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[: length - length % STEPLEN]


def children_bounds(path: str) -> tuple[str, str, int]:
    """(lowest path, highest path, depth) of the direct children of the area at `path`: the index range
    `p0000 … pZZZZ` at the next depth (the (depth, path) index serves it without reading the subtree)."""
    return path + _FIRST * STEPLEN, path + _LAST * STEPLEN, len(path) // STEPLEN + 1


def children_q(paths: str | Iterable[str]) -> Q:
    """The direct children of the areas at `paths` (a path or several), on `Area` rows (`children_bounds`)."""
    clauses = []
    for path in sorted(set(_as_list(paths))):
        low, high, depth = children_bounds(path)
        clauses.append(Q(path__range=(low, high), depth=depth))
    return reduce(operator.or_, clauses) if clauses else Q(pk__in=[])


def ancestor_paths(paths: str | Iterable[str], *, include_self: bool = True) -> list[str]:
    """The paths of the areas above each of `paths`, root first (sorted), each once; with `include_self`
    (the default) the paths themselves too."""
    found = set()
    for path in _as_list(paths):
        end = len(path) + 1 if include_self else len(path)
        found.update(path[:i] for i in range(STEPLEN, end, STEPLEN))
    return sorted(found)
