"""Retention of closed gatherings' participant lists (docs/gatherings.md, docs/decisions.md "Retention of
closed gatherings' participant lists"): GATHERINGS_PARTICIPANTS_RETENTION_YEARS after a gathering ended
(held or cancelled) the clock's daily `gatherings.forget_participants` forgets who was on its list — each
participation keeps whether the person was invited, signed up and present (the counts, compliance and the
meeting's record) but loses the person and the reason given for an absence (PARTICIPANT_ERASED, the list a
deletion request uses); guests keep their role (如“物业公司”) but not their name. Study hours credited for
attending stay in the members' study records (Party rules)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEvent
from grassroots.gatherings.models import PARTICIPANT_ERASED, Gathering, Guest, Participant, Status

GUEST_PLACEHOLDER = "—"  # a guest's name once forgotten; the role (如“物业公司”) stays


def _years() -> int:
    return max(1, int(settings.GATHERINGS_PARTICIPANTS_RETENTION_YEARS))


def closed_before(now: dt.datetime) -> Q:
    """Gatherings held or cancelled that ended before the retention period."""
    years = _years()
    cutoff = now - dt.timedelta(days=365 * years + years // 4)
    return Q(status__in=(Status.HELD, Status.CANCELLED), ends_at__lt=cutoff)


def forget_participants(*, now: dt.datetime | None = None) -> dict:
    """Forget who was on the lists of gatherings closed more than GATHERINGS_PARTICIPANTS_RETENTION_YEARS
    ago. Idempotent (a forgotten row has no person, a forgotten guest no name); one audit event when any
    row was forgotten."""
    now = now or timezone.now()
    gatherings = Gathering.objects.filter(closed_before(now)).values("pk")
    with transaction.atomic():
        people = Participant.objects.filter(gathering__in=gatherings, user__isnull=False).update(
            user=None, **PARTICIPANT_ERASED
        )
        guests = (
            Guest.objects.filter(gathering__in=gatherings)
            .exclude(name=GUEST_PLACEHOLDER)
            .update(name=GUEST_PLACEHOLDER)
        )
        if people or guests:
            AuditEvent.objects.create(
                kind=AuditEvent.Kind.PERSONAL_DATA,
                what=_("会议活动结束超过保存期限：参会人员去标识化 %(people)s 人次，其他参会方 %(guests)s 个")
                % {"people": people, "guests": guests},
                count=people + guests,
            )
    return {"participants": people, "guests": guests, "years": _years()}
