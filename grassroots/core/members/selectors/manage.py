"""Manage (管理): conversions due of probationary members, and transfers as each side sees them."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.core.members.filters import TransferFilter
from grassroots.core.members.models import Member, Transfer, TransferState
from grassroots.core.members.selectors._precisions import in_area, members_in_scope
from grassroots.core.members.services.manage import add_one_year, joined_on_or_before_for_due, probationary

CONVERSION_WINDOW_DAYS = 60


def conversions_due(
    user, *, within_days: int = CONVERSION_WINDOW_DAYS, area: Area | None = None, today: date | None = None
) -> QuerySet[Member]:
    """Probationary members whose conversion (one year after joining) falls due within `within_days` —
    overdue ones included —, the earliest due first. Each row's due date: `conversion_due(member)`."""
    today = today or timezone.localdate()
    cutoff = joined_on_or_before_for_due(today + timedelta(days=within_days))
    qs = probationary(in_area(members_in_scope(user), area)).filter(joined_probationary_on__lte=cutoff)
    return qs.select_related("branch").order_by("joined_probationary_on", "pk")


def with_due_dates(members, today: date | None = None) -> list[Member]:
    """Set `conversion_due_on` and `days_to_conversion` on each member of a page (no query)."""
    today = today or timezone.localdate()
    rows = list(members)
    for member in rows:
        member.conversion_due_on = add_one_year(member.joined_probationary_on)
        member.days_to_conversion = (member.conversion_due_on - today).days
    return rows


OPEN_STATES = (TransferState.REQUESTED, TransferState.RELEASED)


def transfers_for(user, *, tab: str = "open") -> QuerySet[Transfer]:
    """Transfers the user may see (`Transfer.visible_to`: each side its half), open ones or the history:
    `TransferFilter`'s `tab`, as /api/transfers/?tab=."""
    visible = Transfer.visible_to(user).select_related("member", "from_branch", "to_branch", "requested_by")
    return TransferFilter({"tab": tab}, queryset=visible).qs.order_by("-created_at", "-pk")


def transfers_of(member: Member, user) -> QuerySet[Transfer]:
    """The member's transfers the user may see: `TransferFilter`, as /api/transfers/?member=."""
    visible = Transfer.visible_to(user).select_related("from_branch", "to_branch")
    return TransferFilter({"member": member.pk}, queryset=visible).qs.order_by("-created_at", "-pk")
