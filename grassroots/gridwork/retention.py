"""Retention of the grid workers' visit log (PIPL art. 19; docs/gridwork.md, docs/decisions.md "Retention of
the visit log"): GRIDWORK_VISITS_RETENTION_YEARS after a visit, the clock's daily `gridwork.forget_visits`
forgets what it says about the person — the same fields a deletion request drops (`privacy.visit_erased`, the
one list): the link to the resident, what was heard, the follow-up and closing notes. The visit stays as the
worker's work record (date, area, worker, whether it needed following up), so the counts do not change. A
follow-up still open is kept whole until it is closed. The earlier change entries about each forgotten visit
are redacted in the audit trail (audit/redaction.py), the hash chain still verifying. The steps are the
common ones of grassroots/privacy/retention.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.gridwork.privacy import visit_erased
from grassroots.privacy import retention


def _due(cutoff: dt.date):
    """Visits older than the period, not forgotten yet, whose follow-up (if any) is closed."""
    from grassroots.gridwork.models import Visit

    erased = visit_erased()
    return Visit.objects.filter(
        Q(visited_on__lt=cutoff)
        & ~(Q(follow_up=True) & Q(closed_at__isnull=True))
        & (
            Q(resident__isnull=False)
            | ~Q(heard=erased["heard"])
            | ~Q(follow_up_note="")
            | ~Q(closing_note="")
        )
    )


VISITS = retention.Rule(
    setting="GRIDWORK_VISITS_RETENTION_YEARS",
    label=_("网格走访保存期限"),
    what=_("网格走访超过保存期限：走访对象和民情记录删除 %(count)s 条"),
    due=_due,
    erased=visit_erased,
)


def forget_visits(*, now: dt.datetime | None = None) -> dict:
    """Forget the person in visits logged more than GRIDWORK_VISITS_RETENTION_YEARS ago. Idempotent; one
    audit event per run that forgot any (and the redaction's event when earlier entries named them)."""
    result = retention.run(VISITS, now=now or timezone.now())
    return {"visits": result["count"], "redacted": result["redacted"], "years": result["years"]}
