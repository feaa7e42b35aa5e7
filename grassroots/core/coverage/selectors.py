"""Reads of coverage that pages, the API and the assessments figure share: scoped lists, coverage rates per
subtree, per kind and per child area (aggregate queries over the path prefix), and the gap list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, PartyOrg, PartyOrgKind
from grassroots.areas.rollup import per_child, per_subtree
from grassroots.core.coverage.models import (
    COVERED,
    GONE,
    CoverageStatus,
    CrossAppointment,
    Entity,
    EntityKind,
    Instructor,
    ServiceTeam,
    from_records_q,
    joint_from_records_q,
    own_branch_threshold,
    should_form_branch_q,
    workers_of,
)
from grassroots.core.members.models import Member

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
    """`flagged` reads the stored full-member column: the flag concerns only entities without a branch of
    their own, and for those the stored column is the count (`with_counts` takes the records only for an
    own branch), so the figure is the lists' and stays on the roll-up's plain-column path. Made once per
    threshold (a setting), for a call per child costs ~0.2 ms: ~20 µs to build them is a tenth of it."""
    return dict(_aggregates_at(own_branch_threshold()))


@cache
def _aggregates_at(threshold: int) -> dict:
    return {**_AGGREGATES, "flagged": Count("pk", filter=should_form_branch_q(threshold=threshold))}


def entities_for(user) -> QuerySet[Entity]:
    return scoped(Entity.objects.all(), user, VIEW).select_related("area", "party_org")


def orgs_for(user) -> QuerySet[PartyOrg]:
    """The live Party organizations (no Party groups) in the user's coverage scope: who sends an instructor,
    where a cross-appointed person holds office."""
    live = PartyOrg.objects.filter(retired=False).exclude(kind=PartyOrgKind.GROUP)
    return scoped(live, user, VIEW, "area__path")


def branch_members(org_ref, *, full: bool = False) -> QuerySet[Member]:
    """The members registered to an organization (or to a branch or group right under it), still on its
    records; `full`: only the full (正式) members. `org_ref` is a PartyOrg, its id or an OuterRef.

    Written as `branch IN (the organization and its children)`, not `branch = X OR branch.parent = X`: the
    OR across the join made SQLite scan every member row once per entity on the coverage lists (issue 19);
    the IN reads the organizations by their keys and the members by the branch index."""
    ref = OuterRef(org_ref) if isinstance(org_ref, OuterRef) else org_ref  # one level deeper
    orgs = PartyOrg.objects.filter(Q(pk=ref) | Q(parent=ref)).values("pk")
    members = Member.objects.filter(branch__in=orgs).exclude(status__in=GONE)
    return members.filter(joined_full_on__isnull=False) if full else members


def _count(members: QuerySet) -> Subquery:
    """COUNT of `members` as a scalar subquery (a plain function, so no GROUP BY)."""
    return Subquery(
        members.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), IntegerField()
    )


def _counted(full: bool) -> Subquery:
    """The entity's own branch's members (`full`: the full ones)."""
    return _count(branch_members(OuterRef("party_org"), full=full))


def _workers(full: bool) -> Subquery:
    """The members linked to the (jointly covered) entity as their workplace (`full`: the full ones)."""
    members = workers_of(OuterRef("pk"))
    return _count(members.filter(joined_full_on__isnull=False) if full else members)


def with_counts(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    """`member_count` and `full_count` from the member records — an entity with its own branch: that
    branch's members (`from_records_q`); a jointly covered one: the members linked to it as their workplace,
    when there are any (`joint_from_records_q`) — else the hand-entered columns; `from_records` says which.
    Scalar subqueries in the list's one query, evaluated only for the rows counted from the records."""
    own, joint = from_records_q(), joint_from_records_q()
    return queryset.annotate(
        from_records=Case(
            When(own, then=Value(True)),
            When(joint, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        member_count=Case(
            When(own, then=_counted(False)),
            When(joint, then=_workers(False)),
            default=F("party_members"),
            output_field=IntegerField(),
        ),
        full_count=Case(
            When(own, then=_counted(True)),
            When(joint, then=_workers(True)),
            default=F("full_members"),
            output_field=IntegerField(),
        ),
    )


def with_flag(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    """`with_counts`, and `flagged` (1 when it should form its own branch) from the counted full members."""
    return with_counts(queryset).annotate(
        flagged=Case(
            When(should_form_branch_q(full="full_count"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def gaps(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    """Entities not covered, and those that should form their own branch: the flagged first, then the
    uncovered with the most Party members."""
    return (
        with_flag(queryset)
        .filter(Q(status=CoverageStatus.NONE) | Q(flagged=1))
        .order_by("-flagged", "-full_count", "-member_count", "area__path", "name")
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
