"""Actions of the visit log. Keyword-only and atomic; refusals are ValidationErrors keyed by field."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message
from grassroots.areas.subtree import lies_under
from grassroots.gridwork.models import Visit
from grassroots.portal.submissions import create_once

RECORD = "gridwork.record"


@transaction.atomic
def record_visit(
    *,
    actor,
    area,
    visited_on: date,
    heard: str,
    resident=None,
    household=None,
    follow_up: bool = False,
    follow_up_note: str = "",
    submission: str = "",
) -> Visit:
    """Log the actor's visit to `area` (within their grant for `gridwork.record`), optionally to a resident
    living there or a household there. `submission`: the form's token — the same form posted again (a
    double click) gives the visit it logged."""
    if not has_perm(actor, RECORD):
        raise PermissionDenied(missing_permission_message(RECORD))
    errors = {}
    if area is None or not has_perm(actor, RECORD, area):
        errors["area"] = _("只能记录您负责的网格（区域）内的走访。")
    elif area.retired:
        errors["area"] = _("该区域已撤销。")
    else:
        if resident is not None and (
            resident.home_area is None or not lies_under(resident.home_area.path, area.path)
        ):
            errors["resident"] = _("该居民不住在所选区域内。")
        if household is not None and not lies_under(household.area.path, area.path):
            errors["household"] = _("该住户不在所选区域内。")
    if visited_on is None:
        errors["visited_on"] = _("请填写走访日期。")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("走访日期不能晚于今天。")
    if not (heard or "").strip():
        errors["heard"] = _("请填写走访中了解到的情况。")
    if follow_up and not (follow_up_note or "").strip():
        errors["follow_up_note"] = _("需要跟进时，请写明跟进事项。")
    if errors:
        raise ValidationError(errors)

    def create(token: str) -> Visit:
        return Visit.objects.create(
            worker=actor,
            area=area,
            resident=resident,
            household=household,
            visited_on=visited_on,
            heard=heard.strip(),
            follow_up=follow_up,
            follow_up_note=(follow_up_note or "").strip() if follow_up else "",
            submission=token,
        )

    return create_once(Visit, submission=submission, create=create, worker=actor)


@transaction.atomic
def close_follow_up(*, actor, visit: Visit, note: str) -> Visit:
    """Close a visit's follow-up with what was done (跟进结果): by whoever may log visits in its area (its
    worker, the community's workers). It leaves the worker's to-do. Refused at `note` when empty, and when
    the visit needs no follow-up or is closed already."""
    visit = Visit.objects.select_for_update().select_related("area").get(pk=visit.pk)
    if not has_perm(actor, RECORD, visit):
        raise PermissionDenied(missing_permission_message(RECORD, visit.area))
    if not visit.follow_up:
        raise ValidationError({"note": _("这次走访不需要跟进。")})
    if visit.closed_at is not None:
        raise ValidationError({"note": _("这次走访的跟进已经办结。")})
    if not (note or "").strip():
        raise ValidationError({"note": _("请写明跟进结果。")})
    visit.closed_at = timezone.now()
    visit.closed_by = actor
    visit.closing_note = note.strip()
    visit.save(update_fields=["closed_at", "closed_by", "closing_note"])
    return visit
