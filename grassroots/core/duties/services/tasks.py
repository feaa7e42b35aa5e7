"""Issuing tasks down the levels, breaking them down, copying last year's list, keeping drafts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.core.admission.rules import check_task_affair
from grassroots.core.admission.services import record_carried
from grassroots.core.duties.models import AssignmentState, DutyAssignment, DutyTask, Office, TaskList
from grassroots.core.duties.rules import DOER_ROLES, doer
from grassroots.portal.submissions import create_once
from grassroots.workflow.models import TransitionLog
from grassroots.workflow.services import notify

BATCH = 1000
# The levels of the responsibility system a task may be issued to. Grids receive tasks from their own
# community only (网格化干部考察延伸制: the grid's task figures feed its cadres' score).
TARGET_LEVELS = (Level.COUNTY, Level.STREET, Level.COMMUNITY, Level.GRID)


def require_issue(actor, area: Area) -> None:
    if not has_perm(actor, "duties.issue", area):
        raise PermissionDenied(_("您无权为该区域编制任务清单或下发任务。"))


def target_levels_below(area: Area) -> list[int]:
    """The levels `area` may issue to: the county, street and community levels below it; a community
    issues to its grids (and nothing above a community issues to grids directly)."""
    if area.level == Level.COMMUNITY:
        return [Level.GRID]
    return [level for level in TARGET_LEVELS if area.level < level < Level.GRID]


def _targets(area: Area, target_level: int, targets: Iterable[Area] | None) -> list[tuple[int, str]]:
    """(id, path) of the live areas of `target_level` under `area` (all of them, or those of `targets`)."""
    qs = Area.objects.filter(under_q(area.path, "path"), level=target_level, retired=False)
    if targets is not None:
        wanted = {t.pk for t in targets}
        rows = list(qs.filter(pk__in=wanted).values_list("pk", "path").order_by("path"))
        if len(rows) != len(wanted):
            raise ValidationError({"targets": _("所选承办单位须是本区域下该层级的现有区域。")})
    else:
        rows = list(qs.values_list("pk", "path").order_by("path"))
    if not rows:
        raise ValidationError({"target_level": _("本区域下没有这一层级的区域。")})
    return rows


def _validate(
    *, area: Area, title: str, deadline: date, weight: Decimal, office, target_level: int, parent, today: date
) -> None:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("请填写任务名称。")
    if target_level not in target_levels_below(area):
        errors["target_level"] = _(
            "只能向本区域以下的县（区）、街道（乡镇）或社区下发任务；社区向其网格下发。"
        )
    if deadline is None:
        errors["deadline"] = _("请填写完成时限。")
    elif deadline < today:
        errors["deadline"] = _("完成时限不能早于今天。")
    elif parent is not None and deadline > parent.task.deadline:
        errors["deadline"] = _("分解任务的完成时限不能晚于上级任务的完成时限（%(date)s）。") % {
            "date": parent.task.deadline.isoformat()
        }
    if weight is None or weight < 0:
        errors["weight"] = _("考核权重不能为负数。")
    if office is not None and (office.area_id != area.pk or office.retired):
        errors["office"] = _("请选择本单位的科室。")
    if errors:
        raise ValidationError(errors)


def issue_task(
    *,
    actor,
    area: Area | None = None,
    title: str,
    deadline: date,
    target_level: int,
    description: str = "",
    evidence_required: str = "",
    weight: Decimal = Decimal("1"),
    office: Office | None = None,
    affair=None,
    parent: DutyAssignment | None = None,
    targets: Iterable[Area] | None = None,
    year: int | None = None,
    draft: DutyTask | None = None,
    now: datetime | None = None,
    submission: str = "",
) -> DutyTask:
    """Issue a task from `area` to every live area of `target_level` inside its subtree (or to `targets`,
    a subset of them): one `DutyAssignment` per target, written in bulk in one transaction, each with its
    first timeline entry, and one notification to the targets' officials.

    - `parent`: a task received by `area` (its `DutyAssignment`) that this task breaks down; `area` is then
      the parent's target, the deadline may not pass the parent's, and the affair defaults to the parent's.
    - `draft`: a draft of the task list (copied from last year) to issue with these values.
    - THE RULE of 社区事务准入制: a task issued to communities must name an admitted affair in force on the
      deadline and applying to every target (`admission.rules.check_task_affair`); otherwise it is refused
      with “不在社区事务准入目录内” on the field `affair`.
    - `now` back-dates the issue (demo loader); the deadline may not lie before its day.
    - `submission`: the form's token — the same form posted again (a double click) gives the task it issued
      (portal/submissions.py).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if parent is not None:
        parent = DutyAssignment.objects.select_related("task", "task__task_list", "area").get(pk=parent.pk)
        if area is not None and area.pk != parent.area_id:
            raise ValidationError({"parent": _("只能分解本单位承办的任务。")})
        area = parent.area
        if not doer(parent, actor):
            raise PermissionDenied(_("只有承办单位才能分解该任务。"))
        if parent.state == AssignmentState.APPROVED:
            raise ValidationError({"parent": _("该任务已完成，不能再分解。")})
        affair = affair if affair is not None else parent.task.affair
        year = year or parent.task.task_list.year
    if draft is not None:
        draft = DutyTask.objects.select_related("task_list", "area").get(pk=draft.pk)
        if not draft.is_draft:
            raise ValidationError(_("该任务已经下发。"))
        area, year = draft.area, draft.task_list.year
    if area is None:
        raise ValidationError({"area": _("请选择下发单位。")})
    require_issue(actor, area)
    _validate(
        area=area,
        title=title,
        deadline=deadline,
        weight=weight,
        office=office,
        target_level=target_level,
        parent=parent,
        today=today,
    )
    rows = _targets(area, target_level, targets)
    return create_once(
        DutyTask,
        submission=submission,
        issued_by=actor,
        create=lambda token: write_issued(
            actor=actor,
            area=area,
            year=year or deadline.year,
            rows=rows,
            now=now,
            draft=draft,
            parent=parent,
            title=title.strip(),
            description=description,
            deadline=deadline,
            evidence_required=evidence_required,
            weight=weight,
            office=office,
            target_level=target_level,
            affair=affair,
            submission=token,
        ),
    )


def write_issued(
    *,
    actor,
    area: Area,
    year: int,
    rows: list[tuple[int, str]],
    now: datetime,
    draft: DutyTask | None = None,
    parent: DutyAssignment | None = None,
    **fields,
) -> DutyTask:
    """The writing half of `issue_task`: THE RULE of 社区事务准入制 (checked here too, so that no writer can
    skip it), then in one transaction the task list, the task, its assignments and first timeline entries
    in bulk, the affairs the communities now carry, and the notification. `rows` are the targets' (id,
    path). Called by `issue_task` after its checks of the actor and the fields, and by the demo loader for
    breakdowns by streets that have no demo account (issued by "the system", `actor=None`)."""
    check_task_affair(
        affair=fields.get("affair"),
        deadline=fields["deadline"],
        target_level=fields["target_level"],
        target_paths=[path for _pk, path in rows],
    )
    with transaction.atomic():
        task_list, _created = TaskList.objects.get_or_create(
            area=area, year=year, defaults={"created_by": actor}
        )
        task = draft or DutyTask(task_list=task_list, area=area, created_by=actor)
        for name, value in fields.items():
            setattr(task, name, value)
        task.parent = parent
        task.root_id = parent.task.cascade_root_id if parent is not None else None
        task.issued_by, task.issued_at = actor, now
        task.save()
        _create_assignments(task, rows, actor=actor, now=now)
        if task.affair is not None and task.target_level == Level.COMMUNITY:
            record_carried(affair=task.affair, area_ids=[pk for pk, _path in rows], year=year, at=now)
        _notify_targets(task, actor=actor)
    return task


def _create_assignments(task: DutyTask, rows: list[tuple[int, str]], *, actor, now: datetime) -> None:
    """Bulk-insert the assignments, then their first timeline entries ("下发"), batch by batch."""
    content_type = ContentType.objects.get_for_model(DutyAssignment)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    for start in range(0, len(rows), BATCH):
        assignments = DutyAssignment.objects.bulk_create(
            [
                DutyAssignment(task=task, area_id=pk, created_at=now)
                for pk, _path in rows[start : start + BATCH]
            ]
        )
        TransitionLog.objects.bulk_create(
            [
                TransitionLog(
                    content_type=content_type,
                    object_id=a.pk,
                    actor_id=actor_id,
                    at=now,
                    transition="start",
                    from_state="",
                    to_state=AssignmentState.ISSUED,
                )
                for a in assignments
            ]
        )


def _notify_targets(task: DutyTask, *, actor) -> None:
    """One notification to each official of the targets (one query for the recipients, one insert)."""
    recipients = (
        get_user_model()
        .objects.filter(
            is_active=True, grants__role__in=list(DOER_ROLES), grants__area__duty_assignments__task=task
        )
        .exclude(pk=getattr(actor, "pk", None) or 0)
        .values_list("pk", flat=True)
        .distinct()
    )
    with translation.override(settings.LANGUAGE_CODE):
        verb = _("%(area)s下发任务“%(title)s”，完成时限 %(deadline)s，请及时接收办理。") % {
            "area": task.area.name,
            "title": task.title,
            "deadline": task.deadline.isoformat(),
        }
    notify(recipients=list(recipients), verb=verb, target=task, url=reverse("duties:worklist"))


def copy_task_list(*, actor, area: Area, year: int) -> TaskList:
    """Start `year`'s task list of `area` from last year's: each task `area` issued on its own initiative
    (not the breakdowns of tasks it received) becomes a draft with its deadline moved a year on. Refused when
    there is no list of last year, or this year's list already holds tasks."""
    require_issue(actor, area)
    previous = TaskList.objects.filter(area=area, year=year - 1).first()
    if previous is None:
        raise ValidationError(_("%(year)s年度没有任务清单，无法复制。") % {"year": year - 1})
    with transaction.atomic():
        current, _created = TaskList.objects.get_or_create(
            area=area, year=year, defaults={"created_by": actor}
        )
        if current.tasks.exists():
            raise ValidationError(_("%(year)s年度任务清单已有任务，不能再复制。") % {"year": year})
        current.copied_from = previous
        current.save(update_fields=["copied_from"])
        drafts = [
            DutyTask(
                task_list=current,
                area=area,
                title=task.title,
                description=task.description,
                deadline=_next_year(task.deadline),
                evidence_required=task.evidence_required,
                weight=task.weight,
                office=task.office if task.office is None or not task.office.retired else None,
                target_level=task.target_level,
                affair=task.affair,
                copied_from=task,
                created_by=actor,
            )
            for task in previous.tasks.filter(parent__isnull=True)
            .select_related("office")
            .order_by("deadline", "pk")
        ]
        DutyTask.objects.bulk_create(drafts)
    return current


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def delete_draft(*, actor, task: DutyTask) -> None:
    require_issue(actor, task.area)
    if not task.is_draft:
        raise ValidationError(_("已下发的任务不能删除。"))
    task.delete()


def assign_office(*, actor, assignment: DutyAssignment, office: Office | None) -> DutyAssignment:
    """The receiving area names the office that handles its assignment (or none)."""
    if not doer(assignment, actor):
        raise PermissionDenied(_("只有承办单位才能指定承办科室。"))
    if office is not None and (office.area_id != assignment.area_id or office.retired):
        raise ValidationError({"office": _("请选择本单位的科室。")})
    DutyAssignment.objects.filter(pk=assignment.pk).update(office=office)
    assignment.office = office
    return assignment


def create_office(*, actor, area: Area, kind: str, name: str) -> Office:
    require_issue(actor, area)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写科室名称。")})
    if Office.objects.filter(area=area, name=name).exists():
        raise ValidationError({"name": _("本单位已有同名科室。")})
    return Office.objects.create(area=area, kind=kind, name=name)


def retire_office(*, actor, office: Office) -> Office:
    require_issue(actor, office.area)
    office.retired = True
    office.save(update_fields=["retired"])
    return office
