"""Manage (管理): transfers of the membership relation between branches (a workflow: requested → released
with a letter number → received; refused with a reason by either side; cancelled while requested), and
the conversion of probationary members, due one year after they joined, with reminders 30 days ahead.
Dues are in services/dues.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import PartyOrg, PartyOrgKind
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.core.members.models import ConversionReminder, Member, Transfer, TransferState
from grassroots.core.members.models.precisions import TRANSFERABLE_STATUSES
from grassroots.core.members.services._precisions import take_step
from grassroots.workflow.services import notify, start

# --- transfers -------------------------------------------------------------------------------------------
TRANSFER_STEPS = ("release", "refuse_release", "cancel", "receive", "refuse_receipt")


def request_transfer(*, actor, member: Member, to_branch: PartyOrg, reason: str = "") -> Transfer:
    """Open a transfer of `member`'s relation to `to_branch`, asked by the old branch's side (members.change
    on the member) or by the member themself. The new branch may lie outside the requester's scope."""
    own = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not own and not has_perm(actor, "members.change", member):
        raise PermissionDenied(_("您没有权限为该党员申请组织关系转接。"))
    errors: dict[str, str] = {}
    if to_branch.pk == member.branch_id:
        errors["to_branch"] = _("转入支部不能是党员现在所在的支部。")
    elif to_branch.retired or to_branch.kind == PartyOrgKind.GROUP:
        errors["to_branch"] = _("请选择一个现有的党支部（党小组不接收组织关系）。")
    if member.status not in TRANSFERABLE_STATUSES:
        errors["member"] = _("该党员当前状态为“%(status)s”，不能办理组织关系转接。") % {
            "status": member.get_status_display()
        }
    elif Transfer.objects.filter(
        member=member, state__in=[TransferState.REQUESTED, TransferState.RELEASED]
    ).exists():
        errors["member"] = _("该党员已有一项正在办理的组织关系转接。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                member=member,
                from_branch_id=member.branch_id,
                to_branch=to_branch,
                reason=(reason or "").strip(),
                requested_by=actor,
            )
            start(transfer, actor=actor, comment=transfer.reason)
    except IntegrityError as exc:  # a concurrent request won the race
        raise ValidationError({"member": _("该党员已有一项正在办理的组织关系转接。")}) from exc
    return transfer


def release_transfer(*, actor, transfer: Transfer, letter_number: str, comment: str = "") -> Transfer:
    """The old branch releases the relation, with the number of its introduction letter."""
    with transaction.atomic():
        transfer.letter_number = (letter_number or "").strip()[:50]
        take_step(transfer, "release", actor=actor, comment=comment, condition_field="letter_number")
    return transfer


def take_transfer_step(*, actor, transfer: Transfer, name: str, comment: str = "") -> Transfer:
    """receive, refuse_release, refuse_receipt or cancel (release needs `release_transfer`)."""
    if name not in TRANSFER_STEPS or name == "release":
        raise ValidationError(_("没有“%(name)s”这项操作。") % {"name": name}, code="unknown")
    with transaction.atomic():
        take_step(transfer, name, actor=actor, comment=comment)
    return transfer


# --- conversion of probationary members ------------------------------------------------------------------
CONVERSION_REMINDER_DAYS = 30
# Who is reminded besides the branch's own secretary: the community secretaries above the branch.
REMINDED_ROLES = (Role.COMMUNITY_SECRETARY,)


def add_one_year(day: date) -> date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def joined_on_or_before_for_due(due: date) -> date:
    """The latest joining date whose conversion falls due on or before `due` (the inverse of
    `add_one_year`, for filtering in the database): due(j) <= due ⇔ j <= this."""
    try:
        cutoff = due.replace(year=due.year - 1)
    except ValueError:  # due is 29 Feb: a year earlier has only the 28th
        return due.replace(year=due.year - 1, day=28)
    leap_day = date(cutoff.year, 2, 28) + timedelta(days=1)
    if cutoff.month == 2 and cutoff.day == 28 and leap_day.month == 2:
        return leap_day  # joined on 29 Feb of a leap year: due on 28 Feb, so it counts too
    return cutoff


def probationary(queryset):
    """Members still probationary whose record is open (normal, mobile, lost contact, found)."""
    return queryset.filter(
        joined_full_on__isnull=True, status__in=("normal", "mobile", "lost_contact", "found")
    )


def remind_conversions_due(*, today: date | None = None) -> int:
    """Notify the branch secretary (`PartyOrg.secretary`) and the community secretaries above the branch of
    every probationary member whose conversion falls due in the next 30 days (today included). Once per
    member and due date, however often it runs (a `ConversionReminder` row is the proof). Returns the number
    of members reminded now. Constant queries for the selection, one transaction per member."""
    today = today or timezone.localdate()
    last = joined_on_or_before_for_due(today + timedelta(days=CONVERSION_REMINDER_DAYS))
    first = joined_on_or_before_for_due(today - timedelta(days=1))  # due before today: not this task's
    candidates = list(
        probationary(Member.objects.all())
        .filter(joined_probationary_on__gt=first, joined_probationary_on__lte=last)
        .select_related("branch", "branch__area")
        .order_by("joined_probationary_on", "pk")
    )
    if not candidates:
        return 0
    due = {member.pk: add_one_year(member.joined_probationary_on) for member in candidates}
    sent = set(ConversionReminder.objects.filter(member__in=candidates).values_list("member_id", "due_on"))
    candidates = [m for m in candidates if (m.pk, due[m.pk]) not in sent]
    secretaries = _community_secretaries({m.branch.area.path for m in candidates})
    reminded = 0
    for member in candidates:
        recipients = {member.branch.secretary_id} | {
            user_id for path, user_id in secretaries if lies_under(member.branch.area.path, path)
        }
        recipients.discard(None)
        with transaction.atomic():
            created = ConversionReminder.objects.get_or_create(member=member, due_on=due[member.pk])[1]
            if not created:
                continue
            verb = _("预备党员%(name)s（%(branch)s）将于%(due)s预备期满，请及时讨论转正。") % {
                "name": member.name,
                "branch": member.branch.name,
                "due": due[member.pk].isoformat(),
            }
            notify(recipients=recipients, verb=verb, target=member, url=reverse("members:conversions"))
            reminded += 1
    return reminded


def _community_secretaries(paths: set[str]) -> list[tuple[str, int]]:
    """(area path, user id) of the live community-secretary grants on any area at or above `paths`."""
    ancestors = ancestor_paths(paths)
    return list(
        RoleGrant.objects.filter(role__in=REMINDED_ROLES, area__path__in=ancestors, area__retired=False)
        .values_list("area__path", "user_id")
        .distinct()
    )


__all__ = [
    "CONVERSION_REMINDER_DAYS",
    "TRANSFER_STEPS",
    "add_one_year",
    "joined_on_or_before_for_due",
    "probationary",
    "release_transfer",
    "remind_conversions_due",
    "request_transfer",
    "take_transfer_step",
]
