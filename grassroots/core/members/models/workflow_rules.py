"""Who may take the steps of the members' workflows (a member's status, transfers), and the checks they
need: declared once, used by the transitions, the pending lists and the services alike. See docs/members.md
(寻找, 管理).

Who: the roles that keep members' records (community worker and secretary, street, county and city officials,
admins) on an area covering the branch, or the secretary of the branch (or of an organization above it,
`PartyOrg.parent`) — the organization clause of `grassroots.accounts.scoping`.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.roles import Role
from grassroots.accounts.scoping import secretary_org_ids
from grassroots.areas.subtree import lies_under
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.permissions import Check, any_of, by_roles, role_paths

# The roles that keep members' records: the community's workers and secretary, and the officials above.
KEEPER_ROLES = (
    Role.COMMUNITY_WORKER,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_OFFICIAL,
    Role.COUNTY_OFFICIAL,
    Role.CITY_OFFICIAL,
    Role.SYSTEM_ADMIN,
)


def _follow(record, lookup: str):
    value = record
    for part in lookup.split("__"):
        value = getattr(value, part)
    return value


class by_roles_at(by_roles):
    """`by_roles`, but the record's area path is read through `path_field` (e.g. "to_branch__area__path")
    instead of the model's `scope_path`: the receiving side of a transfer acts on the new branch's area."""

    def __init__(self, path_field: str, *roles: str) -> None:
        super().__init__(*roles)
        self.path_field = path_field

    def __call__(self, record, user) -> bool:
        return lies_under(_follow(record, self.path_field), role_paths(user, self.roles))

    def q(self, user, path_field: str | None = None) -> Q:
        return super().q(user, self.path_field)  # always its own path, whatever the caller passes


class org_secretary:
    """The actor is the secretary of the organization the record names in `org_field` ("branch" on a
    Member, "to_branch" on a Transfer), or of an organization above it, and so holds `permission` there."""

    def __init__(self, org_field: str, permission: str = "members.change") -> None:
        self.org_field = org_field
        self.permission = permission

    def __call__(self, record, user) -> bool:
        org_id = getattr(record, f"{self.org_field}_id")
        return org_id is not None and org_id in secretary_org_ids(user, self.permission)

    def q(self, user, path_field: str | None = None) -> Q:
        ids = secretary_org_ids(user, self.permission)
        return Q(**{f"{self.org_field}__in": ids}) if ids else Q(pk__in=[])


class either:
    """`any_of` that also builds the queryset filter (for pending lists): the OR of its parts' `q`."""

    def __init__(self, *permissions) -> None:
        self.permissions = permissions
        self._any = any_of(*permissions)

    def __call__(self, record, user) -> bool:
        return self._any(record, user)

    def q(self, user, path_field: str) -> Q:
        q = Q(pk__in=[])
        for permission in self.permissions:
            q |= permission.q(user, path_field)
        return q


# A member's status: keepers on an area covering the member's branch, or the branch's secretary.
may_change_status = either(by_roles(*KEEPER_ROLES), org_secretary("branch"))
# A transfer: the old branch's side (a Transfer's scope_path is the old branch's area) and the new one's.
old_side = either(by_roles(*KEEPER_ROLES), org_secretary("from_branch"))
new_side = either(by_roles_at("to_branch__area__path", *KEEPER_ROLES), org_secretary("to_branch"))


# --- checks of the member's status transitions ------------------------------------------------------------
def _mobile_location_recorded(member) -> bool:
    return bool((member.mobile_location or "").strip() or (member.mobile_work or "").strip())


def require_mobile_location(member) -> None:
    """Inside `mark_mobile`: the step has a form of its own (`form_url`), so its button shows whatever the
    fields hold; a post that skipped the form is refused here (and rolled back)."""
    if not _mobile_location_recorded(member):
        raise TransitionRefused(_("请填写流动党员现在的居住地或工作单位。"), code="condition")


def require_letter_number(transfer) -> None:
    """Inside `Transfer.release`, for the same reason: the letter number comes from the release form."""
    if not (transfer.letter_number or "").strip():
        raise TransitionRefused(_("请填写介绍信编号。"), code="condition")


def _reached_since_lost(member) -> bool:
    """A contact attempt that reached the member, made on or after the day they were marked lost."""
    contact_attempt = apps.get_model("members", "ContactAttempt")
    since = timezone.localdate(member.status_changed_at)
    return contact_attempt.objects.filter(member=member, reached=True, attempted_on__gte=since).exists()


reached_since_lost = Check(_reached_since_lost, _("请先登记一次联系上该党员的联系记录。"))


def is_receiving_transfer(member) -> bool:
    """True only inside `Transfer.receive`, which marks the member before moving it (so the member's page
    never offers this step as a button)."""
    return getattr(member, "_receiving_transfer", False)


def mobile_form_url(member) -> str:
    return reverse("members:mark_mobile", args=[member.pk])
