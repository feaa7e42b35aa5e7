"""Reads shared by the services, pages and API of self-governance: who sees which opinions and matters, the
community a person or an area belongs to, the support threshold, the residents a matter concerns.

Who sees (`visible_opinions`, `visible_matters`): holders of `selfgov.view` in their scope (the scoping
function: community staff, officials above them, grid workers, auditors); a resident (any signed-in person
with a home) the opinions of their own community and the matters of the areas on the way up from their home
(their community, grid, courtyard); everything else answers 404.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.access.scoping import scope_q
from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.selfgov.models import CommunitySetting, Matter, Opinion

DEFAULTS = {
    "support_percent": Decimal("2"),
    "hearing_notice_days": 7,
    "collection_days": 14,
    "evaluation_days": 7,
    "satisfaction_percent": Decimal("60"),
}
SETTINGS_FIELDS = tuple(DEFAULTS)


def community_of(area: Area | None) -> Area | None:
    """The community an area lies in (itself when it is one); None above the community level."""
    if area is None:
        return None
    if area.level == Level.COMMUNITY:
        return area
    if area.level < Level.COMMUNITY:
        return None
    return Area.objects.filter(path__in=ancestor_paths([area.path]), level=Level.COMMUNITY).first()


def home_community(user) -> Area | None:
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_selfgov_community"):
        user._selfgov_community = community_of(user.home_area)
    return user._selfgov_community


def visible_opinions(user) -> QuerySet[Opinion]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Opinion.objects.none()
    q = scope_q(user, "selfgov.view", Opinion.scope_path) | Q(author=user)
    community = home_community(user)
    if community is not None:
        q |= Q(community=community)
    return Opinion.objects.filter(q)


def visible_matters(user) -> QuerySet[Matter]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Matter.objects.none()
    q = scope_q(user, "selfgov.view", Matter.scope_path) | Q(owner=user)
    if user.home_area_id is not None:
        q |= Q(area__path__in=ancestor_paths([user.home_area.path]))
    return Matter.objects.filter(q)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_opinion_or_404(user, pk) -> Opinion:
    return _get(Opinion.visible_to(user).select_related("author", "matter"), pk)


def get_matter_or_404(user, pk) -> Matter:
    return _get(Matter.visible_to(user), pk)


def setting_for(community: Area) -> dict:
    """The community's numbers: its `CommunitySetting`, else the project's defaults."""
    values = {**DEFAULTS, **getattr(settings, "SELFGOV_DEFAULTS", {})}
    row = CommunitySetting.objects.filter(area=community).first()
    if row is not None:
        values.update({name: getattr(row, name) for name in SETTINGS_FIELDS})
    return values


def verified_residents(area: Area) -> QuerySet[User]:
    return User.objects.filter(
        under_q(area.path, "home_area__path"), is_active=True, verified_at__isnull=False
    )


def support_threshold(community: Area) -> int:
    """How many supports put an opinion before the community's workers: the setting's percentage of the
    community's verified residents, rounded up, at least 1."""
    percent = Decimal(setting_for(community)["support_percent"])
    residents = verified_residents(community).count()
    return max(1, math.ceil(residents * percent / Decimal(100)))


def concerned_residents(matter: Matter) -> QuerySet[User]:
    """The residents a matter concerns: the verified residents living in its area."""
    return verified_residents(matter.area)


def may_take_part(user, matter: Matter) -> bool:
    """A verified resident living in the matter's area (support, comment)."""
    return (
        user.is_authenticated
        and user.identity_verified
        and user.home_area_id is not None
        and lies_under(user.home_area.path, matter.area.path)
    )


def hearing_open_for_comments(matter: Matter, now=None) -> bool:
    """Comments are taken from the hearing's announcement until it ends."""
    now = now or timezone.now()
    return matter.state == "hearing" and matter.hearing is not None and now <= matter.hearing.ends_at


def awaiting(user, *, limit: int = 30):
    """What awaits a resident among the active matters they see (at most `limit` of them, newest step first):
    (the matters whose vote they may still cast, those whose hearing takes comments). Three queries."""
    from grassroots.voting.selectors import still_to_vote

    active = list(
        visible_matters(user)
        .exclude(state__in=["done", "dropped"])
        .select_related("area", "hearing", "vote__area")
        .order_by("-step_since", "-pk")[:limit]
    )
    now = timezone.now()
    open_votes = [m.vote for m in active if m.state == "decision" and m.vote and m.vote.is_open_at(now)]
    pending = still_to_vote(user, open_votes)
    to_vote = [m for m in active if m.vote_id in pending and m.state == "decision"]
    to_comment = [m for m in active if hearing_open_for_comments(m, now) and may_take_part(user, m)]
    return active, to_vote, to_comment
