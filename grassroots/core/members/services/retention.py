"""Retention of members who are no longer the platform's to look after (docs/security.md §9, docs/members.md,
docs/decisions.md "Retention of departed and deceased members"):

- transferred out (已转出) or left the Party (已出党: 退党, 除名, 开除党籍): MEMBERS_DEPARTED_RETENTION_YEARS
  after the status changed (`members.forget_departed`, daily): the paper dossier went to the receiving
  organization or to the archives with the approval;
- deceased (已故): MEMBERS_DECEASED_RETENTION_YEARS after the death was recorded (`members.forget_deceased`,
  daily): the branch's statistics of the year and the survivors' claims are done by then.

Each run pseudonymises the records with the one field list a deletion request uses (members/privacy.py
`forget_members`) and redacts the audit trail's earlier entries about them, the hash chain still
verifying; the platform keeps only what its counts and the branch's history need."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import Member, MemberStatus
from grassroots.core.members.privacy import forget_members

DEPARTED = (MemberStatus.TRANSFERRED_OUT, MemberStatus.LEFT)


def _years(name: str) -> int:
    return max(1, int(getattr(settings, name)))


def _cutoff(now: dt.datetime, years: int) -> dt.datetime:
    return now - dt.timedelta(days=365 * years + years // 4)


def _due(statuses, now: dt.datetime, years: int):
    """Members in one of `statuses` since before the retention period and not yet pseudonymised."""
    return Member.objects.filter(status__in=statuses, status_changed_at__lt=_cutoff(now, years)).exclude(
        id_hash__startswith="erased:"
    )


def departed_before(now: dt.datetime):
    """Members transferred out or gone from the Party before the retention period, not yet pseudonymised."""
    return _due(DEPARTED, now, _years("MEMBERS_DEPARTED_RETENTION_YEARS"))


def _placeholder(member) -> str:
    if member.status == MemberStatus.LEFT:
        return _("已出党党员%(pk)s") % {"pk": member.pk}
    if member.status == MemberStatus.DECEASED:
        return _("已故党员%(pk)s") % {"pk": member.pk}
    return _("已转出党员%(pk)s") % {"pk": member.pk}


def _forget(queryset, *, what: str, label: str) -> int:
    with transaction.atomic():
        members = list(queryset.select_for_update())
        if not members:
            return 0
        forget_members(members, placeholder=_placeholder, label=label)
        AuditEvent.objects.create(
            kind=AuditEvent.Kind.PERSONAL_DATA, what=what % {"count": len(members)}, count=len(members)
        )
    return len(members)


def forget_departed(*, now: dt.datetime | None = None) -> dict:
    """Pseudonymise members transferred out or gone from the Party more than
    MEMBERS_DEPARTED_RETENTION_YEARS ago: the record (name → 已转出党员<id> / 已出党党员<id>, ID number, phone
    and free text gone), the help and notes of their care visits, the results of contact attempts, and the
    audit trail's entries about them; study records and dues stay with the pseudonymised record (Party
    rules). Idempotent; one audit event when any member was pseudonymised."""
    count = _forget(
        departed_before(now or timezone.now()),
        what=_("转出或出党党员超过保存期限：党员信息去标识化 %(count)s 人"),
        label=_("转出或出党党员超过保存期限"),
    )
    return {"pseudonymised": count, "years": _years("MEMBERS_DEPARTED_RETENTION_YEARS")}


def forget_deceased(*, now: dt.datetime | None = None) -> dict:
    """Pseudonymise deceased members MEMBERS_DECEASED_RETENTION_YEARS after their death was recorded, as
    `forget_departed` does (name → 已故党员<id>). Idempotent; one audit event when any was."""
    years = _years("MEMBERS_DECEASED_RETENTION_YEARS")
    count = _forget(
        _due((MemberStatus.DECEASED,), now or timezone.now(), years),
        what=_("已故党员超过保存期限：党员信息去标识化 %(count)s 人"),
        label=_("已故党员超过保存期限"),
    )
    return {"pseudonymised": count, "years": years}
