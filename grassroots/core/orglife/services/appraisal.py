"""Democratic appraisal of members (民主评议党员), recorded with the report of the annual organizational life
meeting, and the branch's "two studies, one action" study plan."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core.members.models import Member
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import (
    EDITABLE_STATES,
    Appraisal,
    Grade,
    OrgLifeReport,
    StudyPlan,
    StudySession,
)
from grassroots.core.orglife.services._common import require_branch, require_branch_side


def record_appraisals(*, actor, report: OrgLifeReport, grades: dict[Member, str], notes=None) -> int:
    """Each member's grade for the year of the organizational life meeting `report` reports (draft or
    returned). A member appraised again that year gets the new grade. Returns how many were written."""
    require_branch_side(actor, report.branch)
    if report.kind != kinds.REVIEW_MEETING:
        raise ValidationError(_("民主评议只在组织生活会上进行。"), code="kind")
    if report.state not in EDITABLE_STATES:
        raise ValidationError(_("只有草稿或被退回的报告单可以修改。"), code="state")
    notes = notes or {}
    errors = []
    for member, grade in grades.items():
        if member.branch_id != report.branch_id:
            errors.append(_("%(name)s 不是本支部党员。") % {"name": member.name})
        if grade not in Grade.values:
            errors.append(_("请为 %(name)s 选择评议等次。") % {"name": member.name})
    if errors:
        raise ValidationError({"grades": errors})
    year = report.held_on.year
    with transaction.atomic():
        for member, grade in grades.items():
            Appraisal.objects.update_or_create(
                member=member,
                year=year,
                defaults={
                    "grade": grade,
                    "branch": report.branch,
                    "report": report,
                    "recorded_by": actor,
                    "note": (notes.get(member) or "")[:200],
                },
            )
    return len(grades)


def create_study_plan(*, actor, branch, year: int, title: str, content: str = "") -> StudyPlan:
    require_branch(branch)
    require_branch_side(actor, branch)
    if not title.strip():
        raise ValidationError({"title": _("请填写名称。")})
    if StudyPlan.objects.filter(branch=branch, year=year).exists():
        raise ValidationError({"year": _("本支部已有该年度的学习计划。")})
    with transaction.atomic():
        return StudyPlan.objects.create(
            branch=branch, year=year, title=title.strip(), content=content.strip(), created_by=actor
        )


def add_study_session(
    *, actor, plan: StudyPlan, topic: str, planned_on: date, gathering=None
) -> StudySession:
    """A session of the plan; `gathering` (a gathering of the branch) is where it was studied."""
    require_branch_side(actor, plan.branch)
    errors = {}
    if not topic.strip():
        errors["topic"] = _("请填写学习专题。")
    if planned_on.year != plan.year:
        errors["planned_on"] = _("日期须在计划年度内。")
    if gathering is not None and gathering.party_org_id != plan.branch_id:
        errors["gathering"] = _("请选择本支部的会议。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return StudySession.objects.create(
            plan=plan, topic=topic.strip(), planned_on=planned_on, gathering=gathering
        )
