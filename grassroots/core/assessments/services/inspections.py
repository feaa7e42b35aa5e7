"""Inspections (工作督察) and their findings. Rectifying, verifying and sending back are workflow transitions
(`transition(finding, "report_rectified" | "verify" | "send_back", …)`: the owner reports with evidence as
attachments; the inspecting level verifies or sends back with a reason)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import scope_paths
from grassroots.accounts.roles import CONSOLE_ROLES, FIELD_WORKERS
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.core.assessments.models import Finding, Inspection
from grassroots.core.assessments.rules import MANAGE, may_verify_finding
from grassroots.documents.citing import citable_for
from grassroots.portal.submissions import create_once
from grassroots.workflow import services as workflow

# Who may own a finding: people holding a working role in (or above) the finding's area.
OWNER_ROLES = CONSOLE_ROLES | FIELD_WORKERS


def inspecting_area(user, area: Area) -> Area | None:
    """The area from which `user` inspects `area`: the closest area covering it where the user holds
    assessments.manage (None: the user may not inspect it)."""
    covering = [p for p in scope_paths(user, MANAGE) if lies_under(area.path, p)]
    if not covering:
        return None
    return Area.objects.get(path=max(covering, key=len))


@transaction.atomic
def create_inspection(
    *,
    actor,
    area: Area,
    title: str,
    inspected_on: date,
    party_org: PartyOrg | None = None,
    inspectors: str = "",
    summary: str = "",
    submission: str = "",
) -> Inspection:
    """Record an inspection of `area` (and optionally one of its Party organizations), led by the actor.
    `submission`: the form's token — the same form posted again gives the inspection it made
    (portal/submissions.py)."""
    by_area = inspecting_area(actor, area)
    if by_area is None:
        raise PermissionDenied(_("您没有权限督察该区域。"))
    errors = {}
    if area.retired:
        errors["area"] = _("该区域已撤销。")
    if not (title or "").strip():
        errors["title"] = _("请填写督察事项。")
    if party_org is not None and (party_org.retired or not lies_under(party_org.area.path, area.path)):
        errors["party_org"] = _("督察的党组织须属于督察的区域。")
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> Inspection:
        return Inspection.objects.create(
            title=title.strip(),
            area=area,
            party_org=party_org,
            by_area=by_area,
            inspected_on=inspected_on,
            inspectors=(inspectors or "").strip(),
            led_by=actor,
            summary=summary or "",
            submission=token,
        )

    return create_once(Inspection, submission=submission, create=create, led_by=actor)


def owner_candidates(area: Area, party_org: PartyOrg | None = None):
    """Active users who may own a finding in `area`: a working role on it, above it or below it, or the
    secretary of the inspected organization."""
    above = ancestor_paths(area.path)
    from django.db.models import Q

    q = Q(grants__area__path__in=above) | under_q(area.path, "grants__area__path")
    q &= Q(grants__role__in=OWNER_ROLES, grants__area__retired=False)
    if party_org is not None and party_org.secretary_id:
        q |= Q(pk=party_org.secretary_id)
    return get_user_model().objects.filter(q, is_active=True).distinct()


@transaction.atomic
def add_finding(
    *,
    actor,
    inspection: Inspection,
    description: str,
    owner,
    deadline: date,
    requirement: str = "",
    area: Area | None = None,
    standard_item=None,
) -> Finding:
    """Record a finding of the inspection as a rectification item (整改中); the owner is notified."""
    area = area or inspection.area
    probe = Finding(inspection=inspection, area=area)
    if not may_verify_finding(probe, actor):
        raise PermissionDenied(_("只有督察单位可以登记督察发现的问题。"))
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("请填写发现的问题。")
    if not lies_under(area.path, inspection.area.path):
        errors["area"] = _("问题所在区域须属于督察的区域。")
    if deadline is None or deadline < inspection.inspected_on:
        errors["deadline"] = _("整改期限不能早于督察日期。")
    if owner is None or not owner_candidates(area, inspection.party_org).filter(pk=owner.pk).exists():
        errors["owner"] = _("整改责任人须是该区域的工作人员或被督察党组织的书记。")
    if standard_item is not None and not citable_for(area).filter(pk=standard_item.pk).exists():
        errors["standard_item"] = _("所引条目须是适用于该区域的现行党建工作指导标准条目。")
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        inspection=inspection,
        area=area,
        description=description.strip(),
        requirement=(requirement or "").strip(),
        owner=owner,
        deadline=deadline,
        standard_item=standard_item,
    )
    workflow.start(finding, actor=actor)
    return finding
