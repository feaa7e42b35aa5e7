"""Find (寻找): contact attempts, and the steps of a member's status (normal → mobile, → lost contact →
found → normal, → deceased). The steps are workflow transitions declared on `Member` and taken through
`grassroots.workflow.services.transition`, so each one is checked, logged and shown on the timeline."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import ContactAttempt, Member, MemberStatus
from grassroots.core.members.services._precisions import require_change, require_open, take_step
from grassroots.portal.submissions import create_once

# The status steps a keeper may take by name (the API's `POST /api/members/<id>/…` and the pages).
STATUS_STEPS = (
    "mark_mobile",
    "mark_lost_contact",
    "mark_found",
    "restore_normal",
    "mark_deceased",
    "mark_left",
)


def record_contact_attempt(
    *,
    actor,
    member: Member,
    method: str,
    attempted_on: date | None = None,
    reached: bool = False,
    result: str = "",
    submission: str = "",
) -> ContactAttempt:
    """Log one attempt to reach a member (date, method, who — the actor —, whether they were reached, the
    result). Attempts cannot be dated in the future."""
    require_change(actor, member)
    require_open(member)
    attempted_on = attempted_on or timezone.localdate()
    if attempted_on > timezone.localdate():
        raise ValidationError({"attempted_on": _("联系日期不能晚于今天。")})
    attempt = ContactAttempt(
        member=member,
        attempted_on=attempted_on,
        method=method,
        by=actor,
        reached=reached,
        result=(result or "").strip(),
    )
    attempt.full_clean(exclude=["member", "by"])

    def create(token: str) -> ContactAttempt:
        attempt.submission = token
        attempt.save()
        return attempt

    return create_once(ContactAttempt, submission=submission, create=create, by=actor)


def mark_mobile(
    *, actor, member: Member, mobile_location: str, mobile_work: str = "", comment: str = ""
) -> Member:
    """normal → mobile, recording where the member now lives and works (what they or their branch know,
    nothing more)."""
    require_change(actor, member)
    with transaction.atomic():
        member.mobile_location = (mobile_location or "").strip()
        member.mobile_work = (mobile_work or "").strip()
        take_step(member, "mark_mobile", actor=actor, comment=comment, condition_field="mobile_location")
    return member


def update_whereabouts(*, actor, member: Member, mobile_location: str, mobile_work: str = "") -> Member:
    """A mobile member's new whereabouts, recorded by their branch or by the member themself."""
    if member.user_id is None or member.user_id != getattr(actor, "pk", None):
        require_change(actor, member)
    if member.status != MemberStatus.MOBILE:
        raise ValidationError(_("只有流动党员需要登记流动去向。"), code="state")
    location, work = (mobile_location or "").strip(), (mobile_work or "").strip()
    if not (location or work):
        raise ValidationError({"mobile_location": _("请填写现在的居住地或工作单位。")})
    with transaction.atomic():
        member.mobile_location, member.mobile_work = location, work
        member.save(update_fields=["mobile_location", "mobile_work", "updated_at"])
    return member


def change_status(*, actor, member: Member, name: str, comment: str = "") -> Member:
    """Take one of the status steps by name (mark_mobile needs `mark_mobile()` for its fields)."""
    if name not in STATUS_STEPS:
        raise ValidationError(_("没有“%(name)s”这项操作。") % {"name": name}, code="unknown")
    with transaction.atomic():
        take_step(member, name, actor=actor, comment=comment)
    return member
