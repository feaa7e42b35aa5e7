"""Compliance with the frequency rules (三会一课), computed from accepted reports, in aggregate queries.

For a period P (a month, quarter or year) and each rule (kind, unit) the rule's slots are the units lying in
P (a quarterly rule has none in a month: it is not judged there). A slot is judged when

- the branch existed for the whole slot: it was created on or before the slot's first day (a branch created
  in the middle of a quarter is not judged on that quarter, nor on the month it was created in — no pro rata:
  "at least once a quarter" has no meaningful fraction); and
- the slot has ended (its last day is before today), or it is the current slot and already met (a gathering
  held early in the month counts at once; the month is not counted as missed until it is over).

A slot is met by one accepted report of the rule's kind whose gathering was held in the slot. `required` is
the number of judged slots, `met` of met ones; a branch is compliant when both are equal (and not zero).
Everything below is one query per page or roll-up, whatever the number of branches or reports, and is kept
in the cache under the version of the data and today's date (`grassroots.core.orglife.kept`): exact, a view
after any write computes again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.rollup import Rows, per_child, per_child_of, per_subtree
from grassroots.areas.subtree import subtree_bounds
from grassroots.core.orglife import kept
from grassroots.core.orglife.conf import Rule, rules
from grassroots.core.orglife.models import OrgLifeReport, ReportState
from grassroots.core.orglife.periods import Period


def branches() -> QuerySet[PartyOrg]:
    """Live Party branches: the organizations that hold organizational life."""
    return PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, retired=False)


def _boundary(day: date) -> datetime:
    """The next local midnight after `day`: a branch created before it existed for the whole of `day` (a
    comparison of `created_at` with a constant, not a date function run per row)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _per_branch(branches_sql: str, branches_params: list, period: Period, today: date, db: str):
    """(sql, params): one row per branch of `branches_sql` (a statement of the branches' `id`, `name`,
    `created_at` and `rollup_path`, their area's path) with its figures: `id`, `name`, `rollup_path`, then
    `met_<kind>` and `req_<kind>` per rule, alternately. The branches joined to their accepted reports of the
    period (a LEFT JOIN: a branch without any keeps a row) and grouped by branch:

    - `met_<kind>`: the distinct slots of the rule in which a report of its kind was held, counting a slot
      only when the branch existed for the whole of it (the index of the first slot whose end, or today, is
      not before the gathering's day; NULL when the branch is younger);
    - `req_<kind>`: the judged ended slots — all those starting on or after the branch's first whole day
      (slots are in order, so the first boundary the branch was created before gives their number) — plus
      the current slot once a report of the kind was held in it;
    - a rule that needs Party groups counts 0 for a branch without one; a rule without a slot begun by today
      (a quarterly rule in a month) counts 0.

    Written here, not as Django expressions: Django built and compiled that statement (a When per slot and
    rule) in ~17 ms of Python and ~80,000 function calls at any scope, more than the statement takes to run
    for a street and a third of it for the city at tier M (docs/performance.md, session 12)."""
    connection = connections[db]
    quote = connection.ops.quote_name
    created_at = PartyOrg._meta.get_field("created_at")
    held_on = OrgLifeReport._meta.get_field("held_on")

    def existed(day: date):
        return created_at.get_db_prep_value(_boundary(day), connection)

    def on(day: date):
        return held_on.get_db_prep_value(day, connection)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    r_kind, r_held = (f"r.{column(OrgLifeReport, name)}" for name in ("kind", "held_on"))
    created = quote("created_at")
    orgs = quote(PartyOrg._meta.db_table)
    groups = (
        f"EXISTS (SELECT 1 FROM {orgs} g WHERE g.{column(PartyOrg, 'parent')} = b.id"
        f" AND g.{column(PartyOrg, 'kind')} = %s AND g.{column(PartyOrg, 'retired')} = %s)"
    )
    groups_params = [PartyOrgKind.GROUP, False]
    active = rules()
    # Per rule, over the branch's reports (`m`, grouped by branch): the distinct slots met, and whether the
    # current slot is met; then per branch (`b`): its judged ended slots, and the rule's two figures.
    grouped, grouped_params, select, select_params = [], [], [], []
    for n, rule in enumerate(active):
        met_name, req_name = quote(f"met_{rule.kind}"), quote(f"req_{rule.kind}")
        slots = [s for s in period.slots(rule.unit) if s.start <= today]
        if not slots:
            select += [f"0 AS {met_name}", f"0 AS {req_name}"]
            continue
        by_slot = []
        grouped_params.append(rule.kind)
        for i, s in enumerate(slots):
            by_slot.append(f"WHEN {r_held} <= %s THEN CASE WHEN k.{created} < %s THEN {i} END")
            grouped_params += [on(min(s.end, today)), existed(s.start)]
        slot_of = f"CASE WHEN {r_kind} = %s THEN CASE {' '.join(by_slot)} END END"
        grouped.append(f"COUNT(DISTINCT {slot_of}) AS m{n}")
        met = f"COALESCE(m.m{n}, 0)"
        ended = [s for s in slots if s.end < today]
        whens, req_params = [], []
        for i, s in enumerate(ended):
            whens.append(f"WHEN b.{created} < %s THEN {len(ended) - i}")
            req_params.append(existed(s.start))
        required = f"CASE {' '.join(whens)} ELSE 0 END" if whens else "0"
        current = slots[-1] if slots[-1].end >= today else None
        if current is not None:  # the current slot is judged only once met
            held_now = f"{r_kind} = %s AND {r_held} >= %s AND k.{created} < %s"
            grouped.append(f"MAX(CASE WHEN {held_now} THEN 1 ELSE 0 END) AS c{n}")
            grouped_params += [rule.kind, on(current.start), existed(current.start)]
            required += f" + COALESCE(m.c{n}, 0)"
        met_params = []
        if rule.needs_groups:
            met, required = (f"CASE WHEN {groups} THEN {x} ELSE 0 END" for x in (met, required))
            met_params, req_params = groups_params, [*groups_params, *req_params]
        select += [f"{met} AS {met_name}", f"({required}) AS {req_name}"]
        select_params += [*met_params, *req_params]
    kinds_ = [rule.kind for rule in active]
    path = quote("rollup_path")
    if not grouped:  # no rule has a slot begun by today
        return f"SELECT b.id, b.name, b.{path}, {', '.join(select)} FROM ({branches_sql}) b", [
            *select_params,
            *branches_params,
        ]
    reports = (
        f"SELECT r.{column(OrgLifeReport, 'branch')} AS branch_id, {', '.join(grouped)}"
        f" FROM {quote(OrgLifeReport._meta.db_table)} r"
        f" JOIN ({branches_sql}) k ON k.id = r.{column(OrgLifeReport, 'branch')}"
        f" WHERE r.{column(OrgLifeReport, 'state')} = %s AND {r_kind} IN ({', '.join(['%s'] * len(kinds_))})"
        f" AND {r_held} >= %s AND {r_held} <= %s GROUP BY r.{column(OrgLifeReport, 'branch')}"
    )
    where_params = [ReportState.ACCEPTED, *kinds_, on(period.start), on(min(period.end, today))]
    # The grouped reports as a CTE computed once (PostgreSQL: MATERIALIZED; SQLite materializes a grouped
    # subquery of a join anyway, and takes the keyword only from 3.35 while Django 5.2 supports 3.31).
    # Inline, PostgreSQL estimated a street's areas at one row by their path range (1,688 at tier M) and ran
    # the grouped reports once per branch: 157 ms at a street against 11 (docs/performance.md, session 13).
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    statement = (
        f"WITH m AS {materialized}({reports})"
        f" SELECT b.id, b.name, b.{path}, {', '.join(select)} FROM ({branches_sql}) b"
        " LEFT JOIN m ON m.branch_id = b.id"
    )
    return statement, [*grouped_params, *branches_params, *where_params, *select_params, *branches_params]


def rows(period: Period, today: date | None = None) -> Rows:
    """The live branches with their figures in `period`, for the roll-up (`grassroots.areas.rollup.Rows`):
    one row per branch under the roll-up's path with `required` and `met` (their sums over the rules) and
    its area's path."""
    today = today or timezone.localdate()

    def statement(under: str) -> tuple[str, list]:
        db = router.db_for_read(PartyOrg)
        quote = connections[db].ops.quote_name
        orgs, areas = (quote(model._meta.db_table) for model in (PartyOrg, Area))
        where, where_params = "o.kind = %s AND o.retired = %s", [PartyOrgKind.BRANCH, False]
        if under:
            where += " AND a.path BETWEEN %s AND %s"
            where_params += subtree_bounds(under)
        branches_sql = (
            f"SELECT o.id, o.name, o.created_at, a.path AS {quote('rollup_path')}"
            f" FROM {orgs} o JOIN {areas} a ON a.id = o.area_id WHERE {where}"
        )
        sql, params = _per_branch(branches_sql, where_params, period, today, db)
        kinds_ = [rule.kind for rule in rules()]
        required = " + ".join(quote(f"req_{kind}") for kind in kinds_) or "0"
        met = " + ".join(quote(f"met_{kind}") for kind in kinds_) or "0"
        path = quote("rollup_path")
        return f"SELECT {path}, {required} AS required, {met} AS met FROM ({sql}) per_branch", params

    return Rows(PartyOrg, statement)


class BranchFigures(NamedTuple):
    """One branch's figures in a period; the fields before `pk` are the table's order (behind first: the
    largest shortfall, then those judged before those not yet judged, by area path and name), so that a list
    of them sorts as a list of tuples."""

    shortfall_desc: int  # minus the shortfall
    not_judged: bool
    path: str  # the branch's area's
    name: str
    pk: int
    required: int
    met: int
    row: tuple  # pk, name, path, then met and required per rule, alternately
    judged: int  # 1 when the branch has a required slot (the roll-up's sums: `_ROW_SUMS`)
    compliant: int  # 1 when it met them all

    @property
    def shortfall(self) -> int:
        return -self.shortfall_desc


class Table(list):
    """The rows of `figures`, with the cache key they are kept under (`grassroots.core.orglife.kept`; None
    when not kept), which `rollup_of` extends for the roll-up it sums from them."""

    key: str | None = None


def figures(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> list[BranchFigures]:
    """Every branch of `queryset` with its figures, behind first. Kept in the cache under the version of the
    data, the period and today (`kept`: one query for the version); computed, one aggregate query grouped by
    branch (`_per_branch`: Django compiles only the branches of the scope), selecting only the per-rule
    figures (their sums and the order are computed here, so that the database evaluates each aggregate
    once); the branch table pages through these rows and the roll-up sums them, without a second pass over
    the reports."""
    today = today or timezone.localdate()
    try:
        branches_sql, branches_params = (
            queryset.order_by()
            .values("id", "name", "created_at", rollup_path=F("area__path"))
            .query.sql_with_params()
        )
    except EmptyResultSet:  # a scope that can hold no branch
        return Table()
    db = queryset.db
    key = kept.key(db, "figures", branches_sql, branches_params, period.key, today)
    out = Table(kept.kept(key, lambda: _figures(branches_sql, branches_params, period, today, db)))
    out.key = key
    return out


def _figures(branches_sql: str, branches_params, period: Period, today: date, db: str) -> list[BranchFigures]:
    sql, params = _per_branch(branches_sql, branches_params, period, today, db)
    # Read through the cursor: the figures are integers already, and Django's converters would cost more
    # than the rest of this loop (ten calls per branch).
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    out = []
    for row in found:
        met, required = sum(row[3::2]), sum(row[4::2])
        judged = int(required > 0)
        compliant = int(judged and met == required)
        out.append(
            BranchFigures(
                met - required, not required, row[2], row[1], row[0], required, met, row, judged, compliant
            )
        )
    out.sort()
    return out


def with_branches(rows: list[BranchFigures]) -> list[PartyOrg]:
    """The branches of `rows` (a page of `figures`), in their order, with area and secretary joined (one
    query) and the figures as attributes (`cells` [(met, required) per rule], `required`, `met`,
    `shortfall`)."""
    found = PartyOrg.objects.select_related("area", "secretary").in_bulk([row.pk for row in rows])
    out = []
    for row in rows:
        branch = found[row.pk]
        branch.required, branch.met, branch.shortfall = row.required, row.met, row.shortfall
        per_rule_ = row.row[3:]
        branch.cells = list(zip(per_rule_[::2], per_rule_[1::2], strict=True))
        out.append(branch)
    return out


@dataclass
class Rollup:
    """Compliance of a set of branches (a subtree, the part of it below one child area, or, with `area`
    None, the branches attached to the area itself)."""

    area: Area | None
    branches: int = 0
    judged: int = 0
    compliant: int = 0
    required: int = 0
    met: int = 0
    children: list = field(default_factory=list)

    def __post_init__(self):
        # PostgreSQL sums integers as numeric: the figures are counts.
        for name in ("branches", "judged", "compliant", "required", "met"):
            setattr(self, name, int(getattr(self, name) or 0))

    @property
    def rate(self) -> float | None:
        """Compliant branches among those judged, as a percentage (None when none was judged)."""
        return round(100 * self.compliant / self.judged, 1) if self.judged else None

    @property
    def slot_rate(self) -> float | None:
        return round(100 * self.met / self.required, 1) if self.required else None

    @property
    def behind(self) -> int:
        return self.judged - self.compliant

    @property
    def not_judged(self) -> int:
        """Branches not assessed in the period (no judged slot yet: created too late, or no slot ended)."""
        return self.branches - self.judged

    @property
    def not_judged_share(self) -> float | None:
        """The branches not assessed, as a percentage of all (None without branches): the rate's caveat."""
        return round(100 * self.not_judged / self.branches, 1) if self.branches else None


# What a roll-up sums, one row per branch (a branch is judged when it has a required slot, compliant when it
# met them all): over the rows of `rows` in SQL, as a derived table (`rollup`, `per_area`: each
# branch's `required` and `met` computed once), and the same over the rows of `figures` in Python
# (`rollup_of`, for the page that lists those rows; the two are tested equal).
_JUDGED = Q(required__gt=0)
_SUMS = {
    "branches": Count("pk"),
    "judged": Count("pk", filter=_JUDGED),
    "compliant": Count("pk", filter=_JUDGED & Q(met=F("required"))),
    "required": Sum("required"),
    "met": Sum("met"),
}
_ROW_SUMS = {
    "branches": lambda row: 1,
    "judged": attrgetter("judged"),
    "compliant": attrgetter("compliant"),
    "required": attrgetter("required"),
    "met": attrgetter("met"),
}


def _lines(breakdown) -> Rollup:
    result = Rollup(breakdown.area, **breakdown.total)
    result.children = [Rollup(child, **sums) for child, sums in breakdown.lines()]
    result.children.sort(key=lambda r: (-r.behind, r.area is not None, r.area.path if r.area else ""))
    return result


def rollup(area: Area, period: Period, today: date | None = None) -> Rollup:
    """The subtree of `area` in total and per line of the roll-up (`grassroots.areas.rollup`): the branches
    attached to `area` itself first (when it has any), then every child area, behind first. Kept in the cache
    (`kept`: one query for the version); computed, two queries: the branches' figures summed per child, the
    children."""
    today = today or timezone.localdate()
    key = kept.key(router.db_for_read(PartyOrg), "rollup", area.path, period.key, today)
    return kept.kept(
        key, lambda: _lines(per_child(rows(period, today), area, path_field="area__path", **_SUMS))
    )


def rollup_of(area: Area, rows: list[BranchFigures]) -> Rollup:
    """`rollup`, summed from the `figures` rows of the branches under `area` (a page that lists them reads
    the reports once); kept in the cache with the rows when they are. One query, or none when kept: the
    children."""
    key = getattr(rows, "key", None)
    return kept.kept(
        key and f"{key}:rollup:{area.path}",
        lambda: _lines(per_child_of(rows, area, path=attrgetter("path"), **_ROW_SUMS)),
    )


def per_area(targets, period: Period, today: date | None = None) -> dict[int, Rollup]:
    """{area id: Rollup of its subtree} for several areas: kept in the cache (`kept`: one query for the
    version); computed, one query per distinct depth among them."""
    today = today or timezone.localdate()
    paths = [t.path for t in targets]
    key = kept.key(router.db_for_read(PartyOrg), "per_area", paths, period.key, today)
    sums = kept.kept(key, lambda: per_subtree(rows(period, today), paths, path_field="area__path", **_SUMS))
    return {t.pk: Rollup(t, **sums[t.path]) for t in targets}


@dataclass(frozen=True)
class Slot:
    rule: Rule
    period: Period
    judged: bool
    met: bool
    open: bool  # the current slot, not met yet
    reports: tuple = ()

    @property
    def status(self) -> str:
        if self.met:
            return "met"
        if self.open:
            return "open"
        return "missed" if self.judged else "not_judged"


def branch_slots(
    branch: PartyOrg, period: Period, today: date | None = None
) -> list[tuple[Rule, list[Slot]]]:
    """One branch's slots per rule in `period`, with the accepted reports meeting each (one query). Agrees
    with `figures` (tested)."""
    today = today or timezone.localdate()
    created_on = timezone.localdate(branch.created_at)
    reports = list(
        OrgLifeReport.objects.filter(
            branch=branch, state=ReportState.ACCEPTED, held_on__gte=period.start, held_on__lte=period.end
        ).order_by("held_on")
    )
    has_groups = None
    out = []
    for rule in rules():
        if rule.needs_groups:
            if has_groups is None:
                has_groups = PartyOrg.objects.filter(
                    parent=branch, kind=PartyOrgKind.GROUP, retired=False
                ).exists()
            if not has_groups:
                continue
        slots = []
        for slot in period.slots(rule.unit):
            if slot.start > today:
                continue
            hits = tuple(r for r in reports if r.kind == rule.kind and slot.contains(r.held_on))
            eligible = created_on <= slot.start
            met = eligible and bool(hits)
            ended = slot.end < today
            slots.append(
                Slot(rule, slot, eligible and (ended or met), met, eligible and not ended and not met, hits)
            )
        out.append((rule, slots))
    return out
