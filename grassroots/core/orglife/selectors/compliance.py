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
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    Length,
    Substr,
    TruncDate,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)
from django.utils import timezone

from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.core.orglife.conf import Rule, rules
from grassroots.core.orglife.models import OrgLifeReport, ReportState
from grassroots.core.orglife.periods import MONTH, QUARTER, YEAR, Period

_TRUNC = {MONTH: TruncMonth, QUARTER: TruncQuarter, YEAR: TruncYear}


def branches() -> QuerySet[PartyOrg]:
    """Live Party branches: the organizations that hold organizational life."""
    return PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, retired=False)


def _has_groups():
    return Exists(PartyOrg.objects.filter(parent=OuterRef("pk"), kind=PartyOrgKind.GROUP, retired=False))


def _required(rule: Rule, period: Period, today: date):
    """Judged slots of `rule` for the branch of the row (annotated `created_on`)."""
    slots = period.slots(rule.unit)
    ended = [s.start for s in slots if s.end < today]
    whens = [When(created_on__lte=start, then=Value(len(ended) - i)) for i, start in enumerate(ended)]
    expr = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    current = next((s for s in slots if s.start <= today <= s.end), None)
    if current is not None:
        met_now = OrgLifeReport.objects.filter(
            branch=OuterRef("pk"),
            state=ReportState.ACCEPTED,
            kind=rule.kind,
            held_on__gte=current.start,
            held_on__lte=today,
        )
        expr = expr + Case(
            When(Q(created_on__lte=current.start) & Exists(met_now), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return expr


def _met(rule: Rule, period: Period, today: date):
    if not period.slots(rule.unit):
        return Value(0)
    rows = (
        OrgLifeReport.objects.filter(
            branch=OuterRef("pk"),
            state=ReportState.ACCEPTED,
            kind=rule.kind,
            held_on__gte=period.start,
            held_on__lte=min(period.end, today),
        )
        .annotate(slot=_TRUNC[rule.unit]("held_on"))
        .filter(slot__gte=OuterRef("created_on"))
        .order_by()
        .values("branch")
        .annotate(n=Count("slot", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _only_with_groups(rule: Rule, expr):
    if not rule.needs_groups:
        return expr
    return Case(When(has_groups=True, then=expr), default=Value(0), output_field=IntegerField())


def with_compliance(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> QuerySet:
    """Annotate each branch with `req_<kind>`/`met_<kind>` per rule, and `required`, `met`, `shortfall`."""
    today = today or timezone.localdate()
    active = rules()
    queryset = queryset.annotate(created_on=TruncDate("created_at"))
    if any(rule.needs_groups for rule in active):
        queryset = queryset.annotate(has_groups=_has_groups())
    required, met = Value(0), Value(0)
    for rule in active:
        queryset = queryset.annotate(
            **{
                f"req_{rule.kind}": _only_with_groups(rule, _required(rule, period, today)),
                f"met_{rule.kind}": _only_with_groups(rule, _met(rule, period, today)),
            }
        )
        required = required + F(f"req_{rule.kind}")
        met = met + F(f"met_{rule.kind}")
    return queryset.annotate(required=required, met=met).annotate(shortfall=F("required") - F("met"))


def behind_first(queryset: QuerySet) -> QuerySet:
    """Branches behind first (largest shortfall), then those not yet judged last."""
    return queryset.order_by("-shortfall", Case(When(required=0, then=1), default=0), "area__path", "name")


def compliance_table(queryset: QuerySet[PartyOrg], period: Period, today: date | None = None) -> QuerySet:
    """The branches of `queryset`, with their area, compliance figures, behind first."""
    return behind_first(with_compliance(queryset.select_related("area", "secretary"), period, today))


_COMPLIANT = Case(
    When(Q(required__gt=0) & Q(shortfall=0), then=Value(1)), default=Value(0), output_field=IntegerField()
)
_JUDGED = Case(When(required__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())


@dataclass
class Rollup:
    """Compliance of a set of branches (a subtree, or the part of it below one child area)."""

    area: Area | None
    branches: int = 0
    judged: int = 0
    compliant: int = 0
    required: int = 0
    met: int = 0
    children: list = field(default_factory=list)

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


_SUMS = {
    "branches": Count("pk"),
    "judged": Sum(_JUDGED),
    "compliant": Sum(_COMPLIANT),
    "slots_required": Sum("required"),  # not "required": an aggregate may not reuse an annotation's name
    "slots_met": Sum("met"),
}


def _figures(row: dict) -> dict:
    row = {k: v or 0 for k, v in row.items()}
    row["required"], row["met"] = row.pop("slots_required"), row.pop("slots_met")
    return row


def _grouped(annotated: QuerySet, length: int) -> dict[str, dict]:
    """Sums of the annotated branches grouped by the first `length` characters of their area path."""
    rows = (
        annotated.annotate(_prefix=Substr("area__path", 1, length), _len=Length("area__path"))
        .filter(_len__gte=length)
        .order_by()
        .values("_prefix")
        .annotate(**_SUMS)
    )
    return {row.pop("_prefix"): _figures(row) for row in rows}


def rollup(area: Area, period: Period, today: date | None = None) -> Rollup:
    """The subtree of `area` in total and per child area (areas below a child are counted in it): two
    aggregate queries plus one for the children's names. Children without branches are left out."""
    annotated = with_compliance(branches().filter(area__path__startswith=area.path), period, today)
    total = annotated.aggregate(**_SUMS)
    result = Rollup(area, **_figures(total))
    groups = _grouped(annotated, len(area.path) + Area.steplen)
    names = {a.path: a for a in Area.objects.filter(path__in=list(groups))}
    result.children = [Rollup(names.get(path), **sums) for path, sums in groups.items()]
    result.children.sort(key=lambda r: (-r.behind, r.area.path if r.area else ""))
    return result


def per_area(targets, period: Period, today: date | None = None) -> dict[int, Rollup]:
    """{area id: Rollup of its subtree} for several areas: one query per distinct depth among them."""
    out: dict[int, Rollup] = {}
    by_length: dict[int, dict[str, Area]] = {}
    for target in targets:
        by_length.setdefault(len(target.path), {})[target.path] = target
    for length, paths in by_length.items():
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(area__path__startswith=path)
        groups = _grouped(with_compliance(branches().filter(q), period, today), length)
        for path, target in paths.items():
            out[target.pk] = Rollup(target, **groups.get(path, {}))
    return out


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
