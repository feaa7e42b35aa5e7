"""Care (关爱): visits to members who need care (who, when, kind, help given). Who needs care is derived,
not stored: see selectors/care.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import CareVisit, Member
from grassroots.core.members.services._precisions import require_change, require_open
from grassroots.portal.submissions import create_once


def record_care_visit(
    *,
    actor,
    member: Member,
    kind: str,
    visited_on: date | None = None,
    help_given: str = "",
    notes: str = "",
    submission: str = "",
) -> CareVisit:
    """A visit to `member` by the actor (the visitor): when, kind (holiday, illness, hardship, political
    birthday, other), the help given."""
    require_change(actor, member)
    require_open(member)
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    visit = CareVisit(
        member=member,
        visitor=actor,
        kind=kind,
        visited_on=visited_on,
        help_given=(help_given or "").strip(),
        notes=(notes or "").strip(),
    )
    visit.full_clean(exclude=["member", "visitor"])

    def create(token: str) -> CareVisit:
        visit.submission = token
        visit.save()
        return visit

    return create_once(CareVisit, submission=submission, create=create, visitor=actor)
