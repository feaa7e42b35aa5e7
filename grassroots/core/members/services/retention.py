"""Retention of members who transferred out (docs/security.md §9, docs/members.md): after
MEMBERS_DEPARTED_RETENTION_YEARS their record is pseudonymised by the clock's daily task
(`members.forget_departed`): the paper dossier went with them to the receiving organization, the platform
keeps only what its counts and the branch's history need."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import CareVisit, ContactAttempt, Member, MemberStatus
from grassroots.core.members.privacy import blank_member


def departed_before(now: dt.datetime):
    """Members transferred out before the retention period and not yet pseudonymised."""
    years = max(1, int(settings.MEMBERS_DEPARTED_RETENTION_YEARS))
    cutoff = now - dt.timedelta(days=365 * years + years // 4)
    return Member.objects.filter(status=MemberStatus.TRANSFERRED_OUT, status_changed_at__lt=cutoff).exclude(
        id_hash__startswith="erased:"
    )


def forget_departed(*, now: dt.datetime | None = None) -> dict:
    """Pseudonymise members transferred out more than MEMBERS_DEPARTED_RETENTION_YEARS ago: the record
    (name → 已转出党员<id>, ID number, phone and free text gone), the help and notes of their care visits and
    the results of contact attempts; study records and dues stay with the pseudonymised record (Party rules).
    Idempotent; one audit event when any member was pseudonymised."""
    now = now or timezone.now()
    with transaction.atomic():
        members = list(departed_before(now).select_for_update())
        for member in members:
            blank_member(member, placeholder=_("已转出党员%(pk)s") % {"pk": member.pk})
        CareVisit.objects.filter(member__in=members).update(help_given="", notes="")
        ContactAttempt.objects.filter(member__in=members).update(result="")
        if members:
            AuditEvent.objects.create(
                kind=AuditEvent.Kind.PERSONAL_DATA,
                what=_("转出党员超过保存期限：党员信息去标识化 %(count)s 人") % {"count": len(members)},
                count=len(members),
            )
    return {"pseudonymised": len(members), "years": int(settings.MEMBERS_DEPARTED_RETENTION_YEARS)}
