"""Reads of votes that services, pages and the API share: who sees a vote, who may vote in it, how large
its electorate is.

Who sees a vote (`visible_votes`): holders of `voting.manage` every vote of their scope, drafts included;
anyone else the published and closed votes they are (or were) entitled to vote in — a resident those of the
areas on the way up from their home, a representative or listed person those naming them. Anything else
answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import scope_q
from grassroots.accounts.models import User
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.voting.models import (
    Electorate,
    Household,
    HouseholdMember,
    Representative,
    Vote,
    VoteStatus,
)


def visible_votes(user) -> QuerySet[Vote]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Vote.objects.none()
    q = scope_q(user, "voting.manage", Vote.scope_path)
    shown = Q(status__in=[VoteStatus.PUBLISHED, VoteStatus.CLOSED])
    home = user.home_area
    if home is not None:
        q |= shown & Q(
            electorate__in=[Electorate.RESIDENTS, Electorate.HOUSEHOLDS],
            area__path__in=ancestor_paths([home.path]),
        )
    q |= shown & Q(electors__user=user)
    return Vote.objects.filter(q).distinct()


def get_visible_or_404(user, pk) -> Vote:
    try:
        return visible_votes(user).select_related("area").get(pk=pk)
    except (Vote.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def household_of(user) -> Household | None:
    member = HouseholdMember.objects.filter(user=user).select_related("household__area").first()
    return member.household if member else None


def is_eligible(vote: Vote, user) -> bool:
    """May `user` vote in `vote`? Verified residents only, whatever the electorate."""
    if user is None or not user.is_active or not user.identity_verified:
        return False
    if vote.electorate == Electorate.RESIDENTS:
        return user.home_area is not None and lies_under(user.home_area.path, vote.area.path)
    if vote.electorate == Electorate.HOUSEHOLDS:
        household = household_of(user)
        return household is not None and lies_under(household.area.path, vote.area.path)
    return vote.electors.filter(user=user).exists()


def verified_residents(vote: Vote) -> QuerySet[User]:
    return User.objects.filter(
        under_q(vote.area.path, "home_area__path"), is_active=True, verified_at__isnull=False
    )


def electorate_size(vote: Vote) -> int:
    """How many votes the electorate holds: verified residents, households with a verified member, or the
    verified people of the list."""
    if vote.electorate == Electorate.RESIDENTS:
        return verified_residents(vote).count()
    if vote.electorate == Electorate.HOUSEHOLDS:
        return (
            Household.objects.filter(
                under_q(vote.area.path, "area__path"),
                members__user__is_active=True,
                members__user__verified_at__isnull=False,
            )
            .distinct()
            .count()
        )
    return vote.electors.filter(user__is_active=True, user__verified_at__isnull=False).count()


def standing_representatives(area) -> QuerySet[User]:
    """The standing resident representatives living in `area`'s subtree (a representatives' vote's electors
    when it names none)."""
    return User.objects.filter(
        under_q(area.path, "home_area__path"),
        pk__in=Representative.objects.filter(until__isnull=True).values("user"),
    )


def residents_without_household(scope_q_: Q) -> QuerySet[User]:
    """Verified residents (in `scope_q_` on their home) who belong to no household yet, by address."""
    return (
        User.objects.filter(
            scope_q_, verified_at__isnull=False, is_active=True, household_membership__isnull=True
        )
        .select_related("home_area")
        .order_by("home_area__path", "full_name", "pk")
    )
