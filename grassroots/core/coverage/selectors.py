"""Reads of coverage that pages, the API and the assessments figure share: scoped lists, coverage rates per
subtree, per kind and per child area (aggregate queries over the path prefix), and the gap list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.rollup import per_child, per_subtree
from grassroots.core.coverage.models import (
    COVERED,
    CoverageStatus,
    CrossAppointment,
    Entity,
    EntityKind,
    Instructor,
    ServiceTeam,
    should_form_branch_q,
)

VIEW = "coverage.view"


@dataclass
class Counts:
    area: Area | None = None
    label: str = ""
    total: int = 0
    covered: int = 0
    own: int = 0
    joint: int = 0
    instructor: int = 0
    flagged: int = 0

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def rate(self) -> float | None:
        return round(100 * self.covered / self.total, 1) if self.total else None


_AGGREGATES = {
    "total": Count("pk"),
    "covered": Count("pk", filter=Q(status__in=COVERED)),
    "own": Count("pk", filter=Q(status=CoverageStatus.OWN)),
    "joint": Count("pk", filter=Q(status=CoverageStatus.JOINT)),
    "instructor": Count("pk", filter=Q(status=CoverageStatus.INSTRUCTOR)),
}


def _aggregates() -> dict:
    return {**_AGGREGATES, "flagged": Count("pk", filter=should_form_branch_q())}


def entities_for(user) -> QuerySet[Entity]:
    return scoped(Entity.objects.all(), user, VIEW).select_related("area", "party_org")


def orgs_for(user) -> QuerySet[PartyOrg]:
    """The live Party organizations (no Party groups) in the user's coverage scope: who sends an instructor,
    where a cross-appointed person holds office."""
    live = PartyOrg.objects.filter(retired=False).exclude(kind=PartyOrgKind.GROUP)
    return scoped(live, user, VIEW, "area__path")


def with_flag(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    return queryset.annotate(
        flagged=Case(
            When(should_form_branch_q(), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )


def gaps(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    """Entities not covered, and those that should form their own branch: the flagged first, then the
    uncovered with the most Party members."""
    return with_flag(queryset.filter(Q(status=CoverageStatus.NONE) | should_form_branch_q())).order_by(
        "-flagged", "-full_members", "-party_members", "area__path", "name"
    )


def summary(queryset: QuerySet[Entity], area: Area | None = None) -> Counts:
    return Counts(area=area, **queryset.aggregate(**_aggregates()))


def by_kind(queryset: QuerySet[Entity]) -> list[Counts]:
    """One aggregate query; every kind listed, even with no entity."""
    rows = {r.pop("kind"): r for r in queryset.order_by().values("kind").annotate(**_aggregates())}
    return [Counts(label=str(label), **rows.get(value, {})) for value, label in EntityKind.choices]


def by_child_area(queryset: QuerySet[Entity], area: Area) -> list[Counts]:
    """The entities under `area` per line of the roll-up (`grassroots.areas.rollup`): the area's own first
    (area None, when it has any), then every child area. One aggregate query, one for the children."""
    breakdown = per_child(queryset, area, path_field="area__path", **_aggregates())
    return [
        Counts(area=child, label=child.name if child else area.name, **counts)
        for child, counts in breakdown.lines()
    ]


def per_area(targets) -> dict[int, Counts]:
    """{area id: Counts of its subtree} for several areas: one query per distinct depth among them."""
    counts = per_subtree(
        Entity.objects.all(), [t.path for t in targets], path_field="area__path", **_aggregates()
    )
    return {t.pk: Counts(area=t, **counts[t.path]) for t in targets}


def instructors_for(user) -> QuerySet[Instructor]:
    return (
        scoped(Instructor.objects.all(), user, VIEW)
        .select_related("area", "sent_by")
        .annotate(
            entity_count=Count("assignments", filter=Q(assignments__ends_on__isnull=True), distinct=True)
        )
        .annotate(visit_count=Count("visits", distinct=True))
    )


def cross_appointments_for(user) -> QuerySet[CrossAppointment]:
    return scoped(CrossAppointment.objects.all(), user, VIEW).select_related(
        "org__area", "other_org", "other_entity"
    )


def teams_for(user) -> QuerySet[ServiceTeam]:
    return (
        scoped(ServiceTeam.objects.all(), user, VIEW)
        .select_related("area")
        .annotate(
            member_count=Count("members", distinct=True),
            entity_count=Count("entities", distinct=True),
            record_count=Count("records", distinct=True),
        )
    )
