"""The filing form (备案单) and the guidance form (指导单): draft → filed → approved (with guidance, the
planned gatherings become gatherings) or returned (with guidance) → refiled → …"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import (
    GuidanceDecision,
    OrgLifeGuidance,
    OrgLifePlan,
    PlannedGathering,
    PlanState,
    PlanUnit,
)
from grassroots.core.orglife.periods import Period
from grassroots.core.orglife.services._common import require_branch, require_branch_side, require_reviewer
from grassroots.workflow.services import start, transition

EDITABLE = (PlanState.DRAFT, PlanState.RETURNED)


@dataclass(frozen=True)
class PlanItem:
    kind: str
    topic: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    lecturer: str = ""


def _check_items(period: Period, items: list[PlanItem]) -> None:
    errors = []
    for n, item in enumerate(items, start=1):
        if item.kind not in kinds.KINDS:
            errors.append(_("第 %(n)d 项：请选择会议类型。") % {"n": n})
        if not item.topic.strip():
            errors.append(_("第 %(n)d 项：请填写主题。") % {"n": n})
        if item.ends_at <= item.starts_at:
            errors.append(_("第 %(n)d 项：结束时间必须晚于开始时间。") % {"n": n})
        if not period.contains(timezone.localdate(item.starts_at)):
            errors.append(
                _("第 %(n)d 项：召开日期不在备案周期（%(period)s）内。") % {"n": n, "period": period.label}
            )
    if errors:
        raise ValidationError({"items": errors})


def _write_items(plan: OrgLifePlan, items: list[PlanItem]) -> None:
    plan.items.all().delete()
    PlannedGathering.objects.bulk_create(
        PlannedGathering(
            plan=plan,
            kind=i.kind,
            topic=i.topic.strip(),
            starts_at=i.starts_at,
            ends_at=i.ends_at,
            place=i.place.strip(),
            lecturer=i.lecturer.strip(),
        )
        for i in items
    )


def create_plan(
    *, actor, branch, period_unit: str, period_start: date, note: str = "", items: Iterable[PlanItem] = ()
) -> OrgLifePlan:
    """A new filing form (draft) of `branch` for the month or quarter containing `period_start`."""
    require_branch(branch)
    require_branch_side(actor, branch)
    if period_unit not in PlanUnit.values:
        raise ValidationError({"period_unit": _("请选择月度或季度。")})
    period = Period.of(period_unit, period_start)
    items = list(items)
    _check_items(period, items)
    if OrgLifePlan.objects.filter(branch=branch, period_unit=period_unit, period_start=period.start).exists():
        raise ValidationError(
            {"period_start": _("本支部已有%(period)s的备案单。") % {"period": period.label}}
        )
    with transaction.atomic():
        plan = OrgLifePlan.objects.create(
            branch=branch,
            period_unit=period_unit,
            period_start=period.start,
            note=note.strip(),
            created_by=actor,
        )
        _write_items(plan, items)
        start(plan, actor=actor)
    return plan


def update_plan(*, actor, plan: OrgLifePlan, note: str, items: Iterable[PlanItem]) -> OrgLifePlan:
    """Change a draft or returned plan: its note and its whole list of planned gatherings."""
    require_branch_side(actor, plan.branch)
    if plan.state not in EDITABLE:
        raise ValidationError(_("只有草稿或被退回的备案单可以修改。"), code="state")
    items = list(items)
    _check_items(plan.period, items)
    with transaction.atomic():
        plan.note = note.strip()
        plan.save(update_fields=["note"])
        _write_items(plan, items)
    return plan


def decide_plan(
    *,
    actor,
    plan: OrgLifePlan,
    decision: str,
    comments: str = "",
    required_changes: str = "",
    attachments=(),
) -> OrgLifeGuidance:
    """The organization above answers a filed plan with a guidance form and approves or returns it, in one
    transaction. A return needs the changes required."""
    require_reviewer(actor, plan.branch)
    if decision not in GuidanceDecision.values:
        raise ValidationError({"decision": _("请选择审核意见。")})
    if decision == GuidanceDecision.RETURN and not required_changes.strip():
        raise ValidationError({"required_changes": _("退回时请写明需修改的事项。")})
    if decision == GuidanceDecision.APPROVE and not (comments.strip() or required_changes.strip()):
        comments = _("同意备案。")
    with transaction.atomic():
        guidance = OrgLifeGuidance.objects.create(
            plan=plan,
            decision=decision,
            comments=comments.strip(),
            required_changes=required_changes.strip(),
            author=actor,
            author_org=plan.branch.parent,
        )
        plan._guidance = guidance
        name = "approve" if decision == GuidanceDecision.APPROVE else "return_plan"
        transition(
            plan,
            name,
            actor=actor,
            comment=guidance.comments or guidance.required_changes,
            attachments=attachments,
        )
        start(guidance, actor=actor)
    return guidance


def file_plan(*, actor, plan: OrgLifePlan, comment: str = "") -> OrgLifePlan:
    name = "refile" if plan.state == PlanState.RETURNED else "file"
    transition(plan, name, actor=actor, comment=comment)
    return plan


def acknowledge_guidance(*, actor, guidance: OrgLifeGuidance) -> OrgLifeGuidance:
    transition(guidance, "acknowledge", actor=actor)
    return guidance
