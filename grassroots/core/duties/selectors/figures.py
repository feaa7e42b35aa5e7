"""Completion and timeliness figures, rolled up per task, per cascade and per subtree: every figure is one
aggregate query over the assignments (by area path prefix, task or cascade), never a Python loop over rows.

Definitions (used by every page, the API and `completion_figures` for the assessments part):

- total      assignments (one per target area and issued task)
- approved   assignments approved (完成)
- on_time    approved on a submission made on or before the deadline (按时完成)
- late       approved on a submission made after the deadline
- overdue    not approved and the deadline has passed (逾期未完成); derived, never stored
- submitted  waiting for the issuer's check
- open       not yet submitted (issued, accepted, in progress or returned)
- completion_rate  approved / total          (None when total is 0)
- on_time_rate     on_time / approved        (None when nothing is approved)
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.rollup import per_child, per_subtree
from grassroots.core.duties.models import (
    NOT_DONE_STATES,
    OPEN_STATES,
    AssignmentState,
    DutyAssignment,
    DutyTask,
    on_time_q,
    overdue_q,
)

FIGURE_KEYS = ("total", "approved", "on_time", "overdue", "submitted", "open")


def _aggregates(today: date, prefix: str = "") -> dict:
    """Count expressions for the figures; `prefix` is the lookup from the queried model to the assignment
    ("" on DutyAssignment, "assignments__" on DutyTask)."""
    pk = f"{prefix}pk" if prefix else "pk"
    return {
        "total": Count(pk),
        "approved": Count(pk, filter=Q(**{f"{prefix}state": AssignmentState.APPROVED})),
        "on_time": Count(pk, filter=on_time_q(prefix)),
        "overdue": Count(pk, filter=overdue_q(today, prefix)),
        "submitted": Count(pk, filter=Q(**{f"{prefix}state": AssignmentState.SUBMITTED})),
        "open": Count(pk, filter=Q(**{f"{prefix}state__in": OPEN_STATES})),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def with_rates(counts: dict) -> dict:
    """The counts completed with `late`, `completion_rate` and `on_time_rate`."""
    figures = {key: int(counts.get(key) or 0) for key in FIGURE_KEYS}
    figures["late"] = figures["approved"] - figures["on_time"]
    figures["completion_rate"] = _rate(figures["approved"], figures["total"])
    figures["on_time_rate"] = _rate(figures["on_time"], figures["approved"])
    return figures


def figures_of(assignments: QuerySet, *, today: date | None = None) -> dict:
    """The figures of any set of assignments: one aggregate query."""
    return with_rates(assignments.aggregate(**_aggregates(today or timezone.localdate())))


def completion_figures(
    area_path: str, year: int, *, level: int | None = None, today: date | None = None
) -> dict:
    """Completion and timeliness of the assignments of `year`'s issued tasks whose target lies in the subtree
    of `area_path` (the area itself included), optionally only the targets of one `level` (e.g.
    `Level.COMMUNITY`). One aggregate query. Returns the dict described in the module's docstring, e.g.
    {"total": 40, "approved": 30, "on_time": 27, "late": 3, "overdue": 4, "submitted": 2, "open": 8,
    "completion_rate": 0.75, "on_time_rate": 0.9}. This is the selector the assessments part reads."""
    qs = DutyAssignment.objects.filter(task__task_list__year=year)
    if level is not None:
        qs = qs.filter(area__level=level)
    aggregates = _aggregates(today or timezone.localdate())
    return with_rates(per_subtree(qs, [area_path], path_field="area__path", **aggregates)[area_path])


def cascade_q(task: DutyTask) -> Q:
    """The assignments of a task and of every task broken down from it, down to the communities."""
    root = task.cascade_root_id
    if task.root_id is None:
        return Q(task_id=root) | Q(task__root_id=root)
    # A task in the middle of a cascade: itself and the tasks broken down from its own assignments.
    return (
        Q(task_id=task.pk) | Q(task__parent__task_id=task.pk) | Q(task__parent__task__parent__task_id=task.pk)
    )


def task_figures(task: DutyTask, *, cascade: bool = False, today: date | None = None) -> dict:
    """The figures of one task's targets, or (cascade=True) of the whole cascade below it."""
    qs = DutyAssignment.objects.filter(cascade_q(task) if cascade else Q(task=task))
    return figures_of(qs, today=today)


def figures_by_level(task: DutyTask, *, today: date | None = None) -> list[tuple[int, dict]]:
    """[(level, figures)] of the whole cascade below `task`, one row per target level: one query."""
    rows = (
        DutyAssignment.objects.filter(cascade_q(task))
        .values("area__level")
        .annotate(**_aggregates(today or timezone.localdate()))
        .order_by("area__level")
    )
    return [(row["area__level"], with_rates(row)) for row in rows]


def annotate_figures(tasks: QuerySet, *, today: date | None = None) -> QuerySet:
    """DutyTask rows annotated with the counts of their own targets (`fig_total`, `fig_approved`…): one
    query for a whole list of tasks."""
    aggregates = _aggregates(today or timezone.localdate(), prefix="assignments__")
    aggregates["on_time"] = Count(
        "assignments__pk",
        filter=Q(assignments__state=AssignmentState.APPROVED, assignments__completed_on__lte=F("deadline")),
    )
    aggregates["overdue"] = Count(
        "assignments__pk",
        filter=Q(deadline__lt=today or timezone.localdate(), assignments__state__in=NOT_DONE_STATES),
    )
    return tasks.annotate(**{f"fig_{key}": value for key, value in aggregates.items()})


def figures_by_child(area: Area, year: int, *, today: date | None = None) -> list[tuple[Area | None, dict]]:
    """The figures of `year` per line of the roll-up (`grassroots.areas.rollup`): `area`'s own assignments
    first (area None, when it has any), then every child area's subtree. One aggregate grouped by path
    prefix, plus one query for the children."""
    breakdown = per_child(
        DutyAssignment.objects.filter(task__task_list__year=year),
        area,
        path_field="area__path",
        **_aggregates(today or timezone.localdate()),
    )
    return [(child, with_rates(counts)) for child, counts in breakdown.lines()]


# --- the one figure registry (grassroots/figures/registry.py) -----------------------------------------------


def year_assignments(year: int, today: date | None = None) -> QuerySet:
    """The assignments the figures of `year` count: those of the year's task lists."""
    return DutyAssignment.objects.filter(task__task_list__year=year)


def assignment_counts(year: int, today: date) -> dict:
    """The additive counts of the figures (`total`, `approved`, `on_time`, `overdue`, …)."""
    return _aggregates(today)


def register_figures() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.figures.registry import Definition, rate, register

    common = {
        "unit": "%",
        "permission": "duties.view",
        "part": "duties",
        "rows": year_assignments,
        "counts": assignment_counts,
        "parts": (
            ("total", _("下达")),
            ("approved", _("完成")),
            ("on_time", _("按期完成")),
            ("overdue", _("逾期未完成")),
            ("submitted", _("待审核")),
        ),
        "month_field": "task__deadline",
        "url": "duties:progress",
    }
    register(
        Definition(
            name="duties.completion",
            label=_("任务完成率"),
            definition=_(
                "本年度任务清单下达给本区域（含下级）的任务中已审核通过的比例；趋势按任务期限所在月份"
            ),
            value=rate("approved", "total"),
            **common,
        )
    )
    register(
        Definition(
            name="duties.timeliness",
            label=_("任务按期完成率"),
            definition=_("已完成的任务中在期限内提交的比例；趋势按任务期限所在月份"),
            value=rate("on_time", "approved"),
            **common,
        )
    )
