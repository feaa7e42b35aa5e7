"""The offices' workloads side by side (三办工作量): for each office of an area, its staff, the assignments
its area received that the office handles, and the tasks the office leads for its area with their targets'
progress. A fixed number of queries whatever the number of offices, staff and tasks: the offices, their
staff, one aggregate over the received assignments grouped by office, one over the issued tasks' assignments
grouped by leading office."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.core.duties.models import DutyAssignment, Office, OfficeKind, OfficeMember, OfficePost
from grassroots.core.duties.selectors.figures import _aggregates, with_rates


@dataclass
class Workload:
    office: Office | None  # None: the received work no office has been named for yet
    members: list = field(default_factory=list)
    received: dict = field(default_factory=dict)  # figures of the assignments the office handles
    issued: dict = field(default_factory=dict)  # figures of the targets of the tasks the office leads
    tasks: int = 0  # issued tasks the office leads


def office_workloads(area: Area, *, year: int | None = None, today: date | None = None) -> list[Workload]:
    """One Workload per live office of `area` (党建办, 服务办, 综治办, others; then by name), then one for
    received work without an office (only when there is some). `year` keeps the tasks of that year's lists."""
    today = today or timezone.localdate()
    staff = OfficeMember.objects.select_related("user").order_by("pk")
    posts = {post: i for i, post in enumerate(OfficePost.values)}  # 主任, 副主任, 工作人员
    order = {kind: i for i, kind in enumerate(OfficeKind.values)}  # 党建办, 服务办, 综治办, others
    offices = sorted(
        Office.objects.filter(area=area, retired=False).prefetch_related(Prefetch("members", queryset=staff)),
        key=lambda office: (order.get(office.kind, len(order)), office.name),
    )
    assignments = DutyAssignment.objects.filter(task__issued_at__isnull=False)
    if year is not None:
        assignments = assignments.filter(task__task_list__year=year)
    received = {
        row["office_id"]: row
        for row in assignments.filter(area=area).values("office_id").annotate(**_aggregates(today)).order_by()
    }
    issued = {
        row["task__office_id"]: row
        for row in assignments.filter(task__area=area, task__office__isnull=False)
        .values("task__office_id")
        .annotate(tasks=Count("task_id", distinct=True), **_aggregates(today))
        .order_by()
    }
    loads = [
        Workload(
            office=office,
            members=sorted(office.members.all(), key=lambda m: posts[m.post]),
            received=with_rates(received.get(office.pk, {})),
            issued=with_rates(issued.get(office.pk, {})),
            tasks=(issued.get(office.pk) or {}).get("tasks", 0),
        )
        for office in offices
    ]
    if received.get(None, {}).get("total"):
        loads.append(Workload(office=None, received=with_rates(received[None]), issued=with_rates({})))
    return loads
