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
Everything below is one query per page or roll-up, whatever the number of branches or reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import NamedTuple

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.rollup import per_child, per_child_of, per_subtree
from grassroots.core.orglife.conf import Rule, rules
from grassroots.core.orglife.models import OrgLifeReport, ReportState
from grassroots.core.orglife.periods import Period

# The accepted reports of the period, joined to their branch (a LEFT JOIN: branches without any keep a row).
_REPORTS = "accepted_reports"


def branches() -> QuerySet[PartyOrg]:
    """Live Party branches: the organizations that hold organizational life."""
    return PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, retired=False)


def _existed_by(day: date) -> Q:
    """The branch existed for the whole of `day`: created before the next local midnight (a comparison of
    `created_at` with a constant, not a date function run per row)."""
    return Q(created_at__lt=timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)))


def _int(*whens: When, default=None) -> Case:
    return Case(*whens, default=Value(default) if default is not None else None, output_field=IntegerField())


def _slot_met(rule: Rule, slots: list[Period], today: date) -> Case:
    """For a joined report of `rule`'s kind: the index of the slot it was held in, when the branch existed
    for the whole slot; NULL otherwise. (The join keeps only reports held in the period, up to today; the
    kind is tested first, so other rows cost one comparison.)"""
    by_slot = _int(
        *(
            When(
                Q(**{f"{_REPORTS}__held_on__lte": min(s.end, today)}),
                then=_int(When(_existed_by(s.start), then=Value(i))),
            )
            for i, s in enumerate(slots)
        )
    )
    return _int(When(Q(**{f"{_REPORTS}__kind": rule.kind}), then=by_slot))


def _rule_figures(rule: Rule, period: Period, today: date) -> tuple:
    """(required, met) expressions of `rule` for the branch of the row, over its joined reports."""
    slots = [s for s in period.slots(rule.unit) if s.start <= today]
    if not slots:
        return Value(0), Value(0)
    ended = [s for s in slots if s.end < today]
    # Judged ended slots: all those starting on or after the branch's first whole day (slots are in order).
    whens = [When(_existed_by(s.start), then=Value(len(ended) - i)) for i, s in enumerate(ended)]
    # (a MAX of the branch's one value: an aggregate, so that the branch alone is the GROUP BY key)
    required = Max(_int(*whens, default=0)) if whens else Value(0)
    # Met slots: the distinct slots in which a report was held.
    met = Count(_slot_met(rule, slots, today), distinct=True)
    current = slots[-1] if slots[-1].end >= today else None
    if current is not None:
        # The current slot is judged only once met.
        held_now = Q(**{f"{_REPORTS}__kind": rule.kind, f"{_REPORTS}__held_on__gte": current.start})
        required = required + Max(_int(When(held_now & _existed_by(current.start), then=Value(1)), default=0))
    return required, met


def _only_with_groups(rule: Rule, expr):
    if not rule.needs_groups:
        return expr
    return Case(When(has_groups=True, then=expr), default=Value(0), output_field=IntegerField())


def per_rule(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> QuerySet:
    """Annotate each branch with `req_<kind>`/`met_<kind>` per rule. One statement: the branches joined to
    their accepted reports of the period and grouped by branch (the distinct slots met per kind); no
    correlated subquery but the one for the Party groups when a rule needs them. (Annotated in two steps
    only: each `annotate` copies the query, and these expressions are large.)"""
    today = today or timezone.localdate()
    active = rules()
    kinds_ = [rule.kind for rule in active]
    condition = Q(
        **{
            "orglife_reports__state": ReportState.ACCEPTED,
            "orglife_reports__kind__in": kinds_,
            "orglife_reports__held_on__gte": period.start,
            "orglife_reports__held_on__lte": min(period.end, today),
        }
    )
    first = {_REPORTS: FilteredRelation("orglife_reports", condition=condition)}
    if any(rule.needs_groups for rule in active):
        groups = PartyOrg.objects.filter(parent=OuterRef("pk"), kind=PartyOrgKind.GROUP, retired=False)
        first["has_groups"] = Exists(groups)
    figures_ = {}
    for rule in active:
        req_rule, met_rule = _rule_figures(rule, period, today)
        figures_[f"req_{rule.kind}"] = _only_with_groups(rule, req_rule)
        figures_[f"met_{rule.kind}"] = _only_with_groups(rule, met_rule)
    return queryset.annotate(**first).annotate(**figures_)


def with_compliance(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> QuerySet:
    """`per_rule`, and `required`, `met`, `shortfall` (their sums) on each branch."""
    active = rules()
    required = sum((F(f"req_{rule.kind}") for rule in active), Value(0))
    met = sum((F(f"met_{rule.kind}") for rule in active), Value(0))
    return per_rule(queryset, period, today).annotate(required=required, met=met, shortfall=required - met)


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

    @property
    def shortfall(self) -> int:
        return -self.shortfall_desc


def figures(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> list[BranchFigures]:
    """Every branch of `queryset` with its figures, behind first. One aggregate query, grouped by branch,
    selecting only the per-rule figures (their sums and the order are computed here, so that the database
    evaluates each aggregate once); the branch table pages through these rows and the roll-up sums them,
    without a second pass over the reports."""
    columns = [f"{x}_{rule.kind}" for rule in rules() for x in ("met", "req")]
    found = per_rule(queryset.order_by().values("pk", "name", "area__path"), period, today)
    # Read through the cursor: the figures are integers already, and Django's converters would cost more
    # than the rest of this loop (ten calls per branch).
    sql, params = found.values_list("pk", "name", "area__path", *columns).query.sql_with_params()
    with connections[found.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        met, required = sum(row[3::2]), sum(row[4::2])
        out.append(BranchFigures(met - required, not required, row[2], row[1], row[0], required, met, row))
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
# met them all): over the rows of `with_compliance` in SQL, as a derived table (`rollup`, `per_area`: each
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
    "judged": lambda row: int(row.required > 0),
    "compliant": lambda row: int(row.required > 0 and row.met == row.required),
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
    attached to `area` itself first (when it has any), then every child area, behind first. Two queries: the
    branches' figures summed per child, the children."""
    rows = with_compliance(branches(), period, today)
    return _lines(per_child(rows, area, path_field="area__path", **_SUMS))


def rollup_of(area: Area, rows: list[dict]) -> Rollup:
    """`rollup`, summed from the `figures` rows of the branches under `area` (a page that lists them reads
    the reports once). One query: the children."""
    return _lines(per_child_of(rows, area, path=attrgetter("path"), **_ROW_SUMS))


def per_area(targets, period: Period, today: date | None = None) -> dict[int, Rollup]:
    """{area id: Rollup of its subtree} for several areas: one query per distinct depth among them."""
    sums = per_subtree(
        with_compliance(branches(), period, today),
        [t.path for t in targets],
        path_field="area__path",
        **_SUMS,
    )
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
    with `with_compliance` (tested)."""
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
