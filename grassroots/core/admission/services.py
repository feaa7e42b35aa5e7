"""Actions of 社区事务准入制: file a request for a department, keep the catalog, record what communities
carry. The request's steps (street review, county approval or refusal) are workflow transitions:
`grassroots.workflow.services.transition(request, name, …)` with name "review", "refuse_at_street",
"approve" or "refuse"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, CarriedAffair
from grassroots.workflow.services import start


def _check_terms(*, funds_per_community: Decimal, valid_from: date, valid_to: date | None) -> None:
    errors = {}
    if funds_per_community is None or funds_per_community < 0:
        errors["funds_per_community"] = _("工作经费不能为负数。")
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("有效期至不能早于有效期自。")
    if errors:
        raise ValidationError(errors)


def file_request(
    *,
    actor,
    area: Area,
    department: str,
    name: str,
    legal_basis: str,
    justification: str,
    powers: str,
    funds_per_community: Decimal,
    valid_from: date,
    valid_to: date | None = None,
    now: datetime | None = None,
) -> AdmissionRequest:
    """A county or city official files, on behalf of `department`, a request to hand affair `name` to the
    communities of street `area`. It waits for the street's review (the street's officials are notified)."""
    if not has_perm(actor, "admission.request", area):
        raise PermissionDenied(_("您无权为该街道提出社区事务准入申请。"))
    if area.level != Level.STREET or area.retired:
        raise ValidationError({"area": _("请选择承接事务的社区所在的街道（乡镇）。")})
    _check_terms(funds_per_community=funds_per_community, valid_from=valid_from, valid_to=valid_to)
    with transaction.atomic():
        request = AdmissionRequest.objects.create(
            area=area,
            department=department.strip(),
            filed_by=actor,
            name=name.strip(),
            legal_basis=legal_basis,
            justification=justification,
            powers=powers,
            funds_per_community=funds_per_community,
            valid_from=valid_from,
            valid_to=valid_to,
            submitted_at=now or timezone.now(),
        )
        start(request, actor=actor)
    return request


def add_affair(
    *,
    actor,
    area: Area,
    name: str,
    legal_basis: str,
    department: str,
    powers: str,
    funds_per_community: Decimal,
    valid_from: date,
    valid_to: date | None = None,
) -> AdmittedAffair:
    """The catalog keeper (county or city) enters an affair directly, e.g. one set by law for every community
    under `area`. Departments asking for a new affair file a request instead."""
    if not has_perm(actor, "admission.manage", area):
        raise PermissionDenied(_("您无权维护该区域的社区事务准入目录。"))
    if area.level > Level.STREET or area.retired:
        raise ValidationError({"area": _("准入目录只能建在市、县（区）或街道（乡镇）。")})
    _check_terms(funds_per_community=funds_per_community, valid_from=valid_from, valid_to=valid_to)
    return AdmittedAffair.objects.create(
        area=area,
        name=name.strip(),
        legal_basis=legal_basis,
        department=department.strip(),
        powers=powers,
        funds_per_community=funds_per_community,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor,
    )


def end_affair(*, actor, affair: AdmittedAffair, valid_to: date) -> AdmittedAffair:
    """End an affair's validity on `valid_to` (tasks due after it can no longer be issued under it)."""
    if not has_perm(actor, "admission.manage", affair.area):
        raise PermissionDenied(_("您无权维护该区域的社区事务准入目录。"))
    _check_terms(
        funds_per_community=affair.funds_per_community, valid_from=affair.valid_from, valid_to=valid_to
    )
    affair.valid_to = valid_to
    affair.save(update_fields=["valid_to"])
    return affair


def record_carried(
    *, affair: AdmittedAffair, area_ids: Iterable[int], year: int, at: datetime | None = None
) -> None:
    """Note that the communities `area_ids` carry `affair` in `year`, with its funds per community; rows that
    exist already are kept as they are (one INSERT per 1,000 communities, whatever exists)."""
    at = at or timezone.now()
    rows = [
        CarriedAffair(area_id=pk, affair=affair, year=year, funds=affair.funds_per_community, created_at=at)
        for pk in area_ids
    ]
    CarriedAffair.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
