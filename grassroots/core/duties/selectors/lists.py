"""Reads shared by the pages and the API: what a user may see, must do and must check, the targets of a task
with the progress of their breakdowns, the tasks of a list. Every list is one query per page (its relations
joined, figures annotated), whatever its length."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from grassroots.access.scoping import scope_paths, scoped
from grassroots.areas.models import Area
from grassroots.areas.subtree import lies_under
from grassroots.core.duties.models import (
    AssignmentState,
    DutyAssignment,
    DutyTask,
    Office,
)
from grassroots.core.duties.rules import checker
from grassroots.core.duties.selectors.figures import annotate_figures, cascade_q

ASSIGNMENT_RELATED = (
    "task",
    "task__area",
    "task__task_list",
    "task__affair",
    "task__office",
    "area",
    "office",
)


def visible_tasks(user) -> QuerySet[DutyTask]:
    """Tasks issued by an area in the user's "duties.view" scope (a target sees its assignment instead)."""
    return scoped(DutyTask.objects.all(), user, "duties.view")


def visible_assignments(user) -> QuerySet[DutyAssignment]:
    """Assignments whose target lies in the user's "duties.view" scope."""
    return DutyAssignment.visible_to(user)


def get_task_or_404(user, pk) -> DutyTask:
    qs = visible_tasks(user).select_related(
        "area", "task_list", "office", "affair", "affair__area", "parent", "parent__area", "parent__task"
    )
    return get_object_or_404(qs, pk=pk)


def get_assignment_or_404(user, pk) -> DutyAssignment:
    qs = visible_assignments(user).select_related(*ASSIGNMENT_RELATED, "task__affair__area")
    return get_object_or_404(qs, pk=pk)


def with_children(qs: QuerySet[DutyAssignment]) -> QuerySet[DutyAssignment]:
    """Annotate each assignment with the progress of the tasks broken down from it (`child_total`,
    `child_approved`): two correlated subqueries in the same SELECT."""

    def count(extra: Q) -> Coalesce:
        sub = (
            DutyAssignment.objects.filter(extra, task__parent=OuterRef("pk"))
            .order_by()
            .values("task__parent")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    return qs.annotate(child_total=count(Q()), child_approved=count(Q(state=AssignmentState.APPROVED)))


def assignment_rows(user) -> QuerySet[DutyAssignment]:
    """The issued assignments the user sees, with their relations and the progress of their breakdowns,
    soonest deadline first — the rows that DutyAssignmentFilter narrows (`?mine=todo`: 我的任务's 待办)."""
    qs = visible_assignments(user).filter(task__issued_at__isnull=False)
    return with_children(qs.select_related(*ASSIGNMENT_RELATED)).order_by(
        "task__deadline", "area__path", "pk"
    )


def to_check_for(user) -> QuerySet[DutyAssignment]:
    """What the user must check: submitted assignments of the tasks their area issued, oldest first."""
    return (
        DutyAssignment.objects.filter(checker.q(user), state=AssignmentState.SUBMITTED)
        .select_related(*ASSIGNMENT_RELATED)
        .order_by("submitted_at", "pk")
    )


def targets_of(task: DutyTask) -> QuerySet:
    """The assignments of `task`, in tree order, with the progress of their breakdowns."""
    qs = DutyAssignment.objects.filter(task=task)
    return with_children(qs.select_related("task", "area", "office")).order_by("area__path", "pk")


def cascade_of(task: DutyTask) -> QuerySet:
    """Every assignment of the cascade below `task` (its targets and the targets of its breakdowns)."""
    qs = DutyAssignment.objects.filter(cascade_q(task))
    return qs.select_related("area", "task", "task__area").order_by("area__path", "task__deadline", "pk")


def children_of_assignment(assignment: DutyAssignment, *, today: date | None = None) -> QuerySet[DutyTask]:
    """The tasks broken down from an assignment, with their figures."""
    return annotate_figures(
        DutyTask.objects.filter(parent=assignment).select_related("affair"), today=today
    ).order_by("deadline", "pk")


# The one order of task lists, the page's and the API's: latest year first, drafts first, then by deadline.
# (Drafts as a 0/1 key: ordering by `issued_at` itself would sort the issued by when they were issued.)
_ISSUED = Case(When(issued_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
TASK_ORDER = ("-task_list__year", _ISSUED, "deadline", "pk")


def listed_tasks(queryset: QuerySet[DutyTask], *, today: date | None = None) -> QuerySet[DutyTask]:
    """Tasks as their lists show them (the 任务清单 page and `/api/duty-tasks/`, filtered by
    `filters.DutyTaskFilter`): with their targets' figures (one query) and related rows, in TASK_ORDER."""
    qs = queryset.select_related("area", "task_list", "office", "affair", "parent__area", "parent__task")
    return annotate_figures(qs, today=today).order_by(*TASK_ORDER)


def received_for_breakdown(user, area: Area, year: int) -> QuerySet[DutyAssignment]:
    """Assignments `area` received in `year` (for the list page: "received from above")."""
    return with_children(
        DutyAssignment.objects.filter(area=area, task__task_list__year=year, task__issued_at__isnull=False)
        .select_related("task", "task__area", "office")
        .order_by("task__deadline", "pk")
    )


def list_areas(user, permission: str = "duties.view") -> list[Area]:
    """Areas whose task lists the user may open from the list page's switcher: the areas they hold a grant
    on (no query: grants are cached), inside their scope for `permission`."""
    paths = scope_paths(user, permission)
    areas = {g.area.pk: g.area for g in user.grants_cached() if lies_under(g.area.path, paths)}
    return sorted(areas.values(), key=lambda a: a.path)


def offices_of(area: Area) -> QuerySet[Office]:
    return Office.objects.filter(area=area, retired=False).order_by("kind", "name")


def today() -> date:
    return timezone.localdate()
