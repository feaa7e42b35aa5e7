"""Reads for the shell and the home pages: notices a user may see, the figures of an official's subtree, and
what the home pages take from other parts (unread notifications, pending items, upcoming gatherings).

Every figure is an aggregate over the area path prefixes of the user's scope: the number of queries does not
grow with the number of areas, people or notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grassroots.access.scoping import has_perm, scope_paths, scope_q, scoped
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import PUBLIC
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import ancestor_paths
from grassroots.gatherings import selectors as gatherings_selectors
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from grassroots.workflow import selectors as workflow_selectors
from grassroots.workflow.models import PendingItem


def unread_count(user) -> int:
    """Unread in-app notifications (the bell in the top bar)."""
    return workflow_selectors.unread_count(user)


def pending_for(user, limit: int = 10) -> list[PendingItem]:
    """Records awaiting a transition the user may take (items with .title .url .state_label .since)."""
    return workflow_selectors.pending_for(user, limit=limit)


def upcoming_gatherings(user, limit: int = 5) -> list[Gathering]:
    """Gatherings the user may see, soonest first."""
    return gatherings_selectors.upcoming_for(user, limit=limit)


# --- areas ------------------------------------------------------------------------------------------------


def home_trail(user) -> list[Area]:
    """The user's home area and the areas above it, root first (two queries at most)."""
    if not user.home_area_id:
        return []
    return user.home_area.ancestors_with_self()


def community_of(trail: list[Area]) -> Area | None:
    return next((a for a in trail if a.level == Level.COMMUNITY), trail[-1] if trail else None)


# --- notices ----------------------------------------------------------------------------------------------


def _anchor_paths(user, trail: list[Area] | None = None) -> list[str]:
    """Areas whose own notices and ancestors' notices concern the user: the working area when one is picked,
    otherwise every grant area and the home area."""
    active = getattr(user, "active_area_path", None)
    if active:
        return [active]
    paths = [grant.area.path for grant in user.grants_cached()]
    if trail is None:
        trail = home_trail(user)
    if trail:
        paths.append(trail[-1].path)
    return paths


def notices_q(user, trail: list[Area] | None = None) -> Q:
    """Notices addressed to the user's areas or above them, plus (for workers and officials) those of their
    subtree."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    above = ancestor_paths(_anchor_paths(user, trail))
    return Q(area__path__in=above) | scope_q(user, "notices.view", "area__path")


def visible_notices(user, trail: list[Area] | None = None) -> QuerySet[Notice]:
    """Published notices the user may read, pinned first, newest first."""
    return (
        Notice.objects.filter(notices_q(user, trail), published_at__lte=timezone.now())
        .select_related("area", "author")
        .order_by("-pinned", "-published_at", "-id")
    )


def notices_for_list(user) -> QuerySet[Notice]:
    """The notice list: what the user may read, and for managers also the scheduled notices they may edit."""
    q = notices_q(user) & Q(published_at__lte=timezone.now())
    if has_perm(user, "notices.manage"):
        q |= scope_q(user, "notices.manage", "area__path")
    return (
        Notice.objects.filter(q).select_related("area", "author").order_by("-pinned", "-published_at", "-id")
    )


def notice_areas(user) -> QuerySet[Area]:
    """Areas the user may address a notice to: their managed subtrees, down to two levels below the top of
    their scope (so that the choice stays short even for a city official)."""
    paths = scope_paths(user, "notices.manage")
    if not paths:
        return Area.objects.none()
    top_depth = min(len(p) // Area.steplen for p in paths)
    return scoped(
        Area.objects.filter(retired=False, depth__lte=top_depth + 2), user, "notices.manage"
    ).order_by("path")


# --- an official's figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts over the user's scope. A block is None when the user may not see that kind of record."""

    areas_by_level: list[tuple[str, int]] | None = None
    party_orgs_total: int | None = None
    party_orgs_by_kind: list[tuple[str, int]] = field(default_factory=list)
    residents_total: int | None = None
    residents_verified: int | None = None
    staff_total: int | None = None

    @property
    def residents_pending(self) -> int | None:
        if self.residents_total is None:
            return None
        return self.residents_total - self.residents_verified

    @property
    def verified_percent(self) -> int:
        if not self.residents_total:
            return 0
        return round(100 * self.residents_verified / self.residents_total)


def official_figures(user) -> Figures:
    """At most four aggregate queries, whatever the size of the subtree."""
    figures = Figures()
    if has_perm(user, "areas.view"):
        rows = (
            scoped(Area.objects.filter(retired=False), user, "areas.view")
            .values("level")
            .annotate(n=Count("id"))
            .order_by("level")
        )
        figures.areas_by_level = [(str(Level(row["level"]).label), row["n"]) for row in rows]
    if has_perm(user, "party_orgs.view"):
        rows = (
            scoped(PartyOrg.objects.filter(retired=False), user, "party_orgs.view")
            .values("kind")
            .annotate(n=Count("id"))
        )
        by_kind = {row["kind"]: row["n"] for row in rows}
        figures.party_orgs_by_kind = [
            (str(kind.label), by_kind[kind.value]) for kind in PartyOrgKind if kind.value in by_kind
        ]
        figures.party_orgs_total = sum(by_kind.values())
    if has_perm(user, "accounts.view"):
        residents = User.objects.filter(scope_q(user, "accounts.view", "home_area__path"), is_active=True)
        totals = residents.aggregate(
            total=Count("id"), verified=Count("id", filter=Q(verified_at__isnull=False))
        )
        figures.residents_total = totals["total"]
        figures.residents_verified = totals["verified"]
        figures.staff_total = (
            scoped(RoleGrant.objects.exclude(role__in=PUBLIC), user, "accounts.view")
            .filter(user__is_active=True)
            .values("user")
            .distinct()
            .count()
        )
    return figures
