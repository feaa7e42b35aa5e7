"""Reads of votes that services, pages and the API share: who sees a vote, who may vote in it, how large
its electorate is.

Who sees a vote (`visible_votes`): holders of `voting.manage` every vote of their scope, drafts included;
anyone else the published and closed votes they are (or were) entitled to vote in — a resident those of the
areas on the way up from their home, a representative or listed person those naming them — and a resident
the residents', households' and representatives' votes of the other areas of their own community (a
courtyard's vote, say), which they see with the reason they cannot vote (`ineligibility`). Anything else —
another community's votes — answers 404.
"""

from __future__ import annotations

import math

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from grassroots.access.scoping import scope_q
from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.voting.models import (
    Electorate,
    Household,
    HouseholdMember,
    Representative,
    Vote,
    VoteStatus,
)

COMMUNITY_WIDE = [Electorate.RESIDENTS, Electorate.HOUSEHOLDS, Electorate.REPRESENTATIVES]


def _community_holding(home: Area):
    """The community above `home` whose path begins the outer vote's area path (no query of its own: an
    EXISTS inside the votes' statement)."""
    return Area.objects.filter(
        path__in=ancestor_paths([home.path]),
        level=Level.COMMUNITY,
        path=Substr(OuterRef("area__path"), 1, Length("path")),
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
        q |= shown & Q(electorate__in=COMMUNITY_WIDE) & Exists(_community_holding(home))
    q |= shown & Q(electors__user=user)
    return Vote.objects.filter(q).distinct()


def _plainly_visible(user, vote: Vote) -> bool:
    """`visible_votes`' most common case decided without a query: a published or closed vote of residents
    or households at or above the user's home (the ballot of a burst of residents, issue 19)."""
    home = user.home_area
    return (
        vote.status in (VoteStatus.PUBLISHED, VoteStatus.CLOSED)
        and vote.electorate in (Electorate.RESIDENTS, Electorate.HOUSEHOLDS)
        and home is not None
        and lies_under(home.path, vote.area.path)
    )


def get_visible_or_404(user, pk) -> Vote:
    """The vote `pk` if `visible_votes(user)` holds it, else 404: read by its key first, and when it is
    plainly the user's (`_plainly_visible`) no second statement; otherwise the scoped statement decides."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        vote = Vote.objects.select_related("area").get(pk=pk)
        if _plainly_visible(user, vote):
            return vote
        return visible_votes(user).select_related("area").get(pk=vote.pk)
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


def still_to_vote(user, votes) -> set[int]:
    """Of `votes` (open ones, their `area` loaded), the ids of those `user` may still vote in: eligible
    (`is_eligible`, in batch) and no ballot yet — of theirs, or of their household's where the vote counts
    households. At most three queries, whatever the number of votes."""
    from grassroots.voting.models import Elector, Turnout

    votes = list(votes)
    if not votes or user is None or not user.is_active or not user.identity_verified:
        return set()
    ids = [v.pk for v in votes]
    counts_households = any(v.electorate == Electorate.HOUSEHOLDS for v in votes)
    household = household_of(user) if counts_households else None
    cast = Q(voter=user) | Q(household=household) if household is not None else Q(voter=user)
    voted = set(Turnout.objects.filter(cast, vote__in=ids).values_list("vote_id", flat=True))
    listed = [v.pk for v in votes if v.electorate not in (Electorate.RESIDENTS, Electorate.HOUSEHOLDS)]
    named = (
        set(Elector.objects.filter(user=user, vote__in=listed).values_list("vote_id", flat=True))
        if listed
        else set()
    )
    home = user.home_area

    def eligible(vote) -> bool:
        if vote.electorate == Electorate.RESIDENTS:
            return home is not None and lies_under(home.path, vote.area.path)
        if vote.electorate == Electorate.HOUSEHOLDS:
            return household is not None and lies_under(household.area.path, vote.area.path)
        return vote.pk in named

    return {v.pk for v in votes if v.pk not in voted and eligible(v)}


def ineligibility(vote: Vote, user) -> str | None:
    """None when `user` may vote in `vote`; else why not, in words for the voter (page and API alike)."""
    if is_eligible(vote, user):
        return None
    if user is None or not user.is_active or not user.identity_verified:
        return _("您不在本次投票的投票人范围内（须为已实名核验的居民）。")
    who = {
        Electorate.RESIDENTS: _("本次投票的投票人为住在“%(area)s”的已实名核验居民。"),
        Electorate.HOUSEHOLDS: _("本次投票每户一票，投票人为“%(area)s”已登记住户的成员。"),
        Electorate.REPRESENTATIVES: _("本次投票的投票人为“%(area)s”的居民代表。"),
    }.get(vote.electorate, _("本次投票的投票人为指定名单上的人员。"))
    return _("您不在本次投票的投票人范围内。") + who % {"area": vote.area.name}


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


def quorum_ballots(vote: Vote, electorate: int | None = None) -> int:
    """The ballots `vote` needs for its quorum: `quorum_percent` % of the electorate (its size now unless
    given), rounded up, as the tally judges it (services/tally.py); 0 without an electorate."""
    electorate = electorate_size(vote) if electorate is None else electorate
    return math.ceil(vote.quorum_percent * electorate / 100) if electorate else 0


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
