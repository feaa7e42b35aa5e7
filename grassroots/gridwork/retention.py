"""Retention of the grid workers' visit log (PIPL art. 19; docs/gridwork.md, docs/decisions.md "Retention of
the visit log"): GRIDWORK_VISITS_RETENTION_YEARS after a visit, the clock's daily `gridwork.forget_visits`
forgets what it says about the person — the same fields a deletion request drops (`privacy.visit_erased`, the
one list): the link to the resident, what was heard, the follow-up and closing notes. The visit stays as the
worker's work record (date, area, worker, whether it needed following up), so the counts do not change. A
follow-up still open is kept whole until it is closed. The earlier change entries about each forgotten visit
are redacted in the audit trail (audit/redaction.py), the hash chain still verifying."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEvent
from grassroots.gridwork.privacy import visit_erased


def _years() -> int:
    return max(1, int(settings.GRIDWORK_VISITS_RETENTION_YEARS))


def due(now: dt.datetime) -> Q:
    """Visits older than the period, not forgotten yet, whose follow-up (if any) is closed."""
    years = _years()
    cutoff = timezone.localdate(now) - dt.timedelta(days=365 * years + years // 4)
    erased = visit_erased()
    return (
        Q(visited_on__lt=cutoff)
        & ~(Q(follow_up=True) & Q(closed_at__isnull=True))
        & (
            Q(resident__isnull=False)
            | ~Q(heard=erased["heard"])
            | ~Q(follow_up_note="")
            | ~Q(closing_note="")
        )
    )


def forget_visits(*, now: dt.datetime | None = None) -> dict:
    """Forget the person in visits logged more than GRIDWORK_VISITS_RETENTION_YEARS ago. Idempotent; one
    audit event per run that forgot any (and the redaction's event when earlier entries named them)."""
    from grassroots.audit.redaction import redact
    from grassroots.gridwork.models import Visit

    now = now or timezone.now()
    erased = visit_erased()
    with transaction.atomic():
        visits = list(Visit.objects.select_for_update(of=("self",)).filter(due(now)).select_related("resident"))
        if not visits:
            return {"visits": 0, "redacted": 0, "years": _years()}
        own = {"heard": erased["heard"], "follow_up_note": "", "closing_note": "", "resident": ""}
        identifiers: dict[str, str] = {}
        for visit in visits:  # the resident's name as change entries of the visit show it
            if visit.resident is not None and visit.resident.full_name:
                identifiers[str(visit.resident)] = ""
        count = Visit.objects.filter(pk__in=[v.pk for v in visits]).update(**erased)
        AuditEvent.objects.create(
            kind=AuditEvent.Kind.PERSONAL_DATA,
            what=_("网格走访超过保存期限：走访对象和民情记录删除 %(count)s 条") % {"count": count},
            count=count,
        )
        redacted = redact(
            user=None,
            identifiers={},
            actor=None,
            label=_("网格走访保存期限"),
            records=[(visit, own) for visit in visits],
        )
    return {"visits": count, "redacted": redacted, "years": _years()}
