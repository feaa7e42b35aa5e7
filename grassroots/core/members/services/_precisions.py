"""What the services of the five precisions (find, educate, manage, care) share: who may write a member's
records, and turning a refused workflow step into a ValidationError for forms and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.core.members.models import Member, MemberStatus
from grassroots.workflow.services import TransitionRefused, transition

# Members whose records are closed: nothing is added to them any more.
CLOSED_STATUSES = (MemberStatus.DECEASED, MemberStatus.TRANSFERRED_OUT, MemberStatus.LEFT)


def require_change(actor, member: Member) -> None:
    """PermissionDenied unless `actor` holds members.change on the member's branch (a grant on an area
    covering it, or being the secretary of the branch or of an organization above it)."""
    if not has_perm(actor, "members.change", member):
        raise PermissionDenied(_("您没有权限维护该党员的信息。"))


def require_open(member: Member) -> None:
    if member.status in CLOSED_STATUSES:
        raise ValidationError(
            _("该党员状态为“%(status)s”，不能再登记。") % {"status": member.get_status_display()},
            code="closed",
        )


def take_step(record, name: str, *, actor, comment: str = "", condition_field: str | None = None) -> None:
    """Take workflow step `name` on `record`. A refusal becomes what forms and the API understand: for
    permission a PermissionDenied (403), otherwise a ValidationError — a missing comment on the field
    "comment", an unmet condition on `condition_field` when given (else the whole form)."""
    try:
        transition(record, name, actor=actor, comment=comment)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        field = {"comment_required": "comment", "condition": condition_field}.get(refused.code)
        raise ValidationError(
            {field: refused.message} if field else refused.message, code=refused.code
        ) from refused
