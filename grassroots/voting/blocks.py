"""The voting part's home block (grassroots/portal/homes.py): on the community worker's home, for each
community of their scope (at most three), the households and their members, the verified residents not yet
in a household, the standing resident representatives and the term of their latest election. Shown only to
community staff (street officials see the figures, not the lists). Four aggregate queries
per community, whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from grassroots.access.scoping import has_perm, role_paths
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.portal.homes import OFFICIAL, register_block
from grassroots.voting.models import TERM_NOTICE_DAYS, Household, Representative, RepresentativeElection

MAX_COMMUNITIES = 3


@dataclass
class CommunityPeople:
    community: Area
    households: int
    housed: int
    unhoused: int
    representatives: int
    term_ends_on: date | None
    term_due: bool  # within the reminder's days, or past


def people_block(request):
    user = request.user
    if not has_perm(user, "voting.manage"):
        return None
    paths = role_paths(user, COMMUNITY_STAFF)  # the community staff's home: no query for anyone else
    if not paths:
        return None
    communities = list(
        Area.objects.filter(path__in=paths, level=Level.COMMUNITY, retired=False).order_by("path")[
            :MAX_COMMUNITIES
        ]
    )
    if not communities:
        return None
    today = timezone.localdate()
    lines = []
    for community in communities:
        counts = Household.objects.filter(under_q(community.path, "area__path")).aggregate(
            households=Count("pk", distinct=True), housed=Count("members", distinct=True)
        )
        unhoused = (
            get_user_model()
            .objects.filter(
                under_q(community.path, "home_area__path"),
                is_active=True,
                verified_at__isnull=False,
                household_membership__isnull=True,
            )
            .count()
        )
        standing = Representative.objects.filter(community=community, until__isnull=True).count()
        latest = (
            RepresentativeElection.objects.filter(community=community)
            .order_by("-held_on", "-pk")
            .values_list("term_ends_on", flat=True)
            .first()
        )
        lines.append(
            CommunityPeople(
                community=community,
                households=counts["households"],
                housed=counts["housed"],
                unhoused=unhoused,
                representatives=standing,
                term_ends_on=latest,
                term_due=latest is not None and (latest - today).days <= TERM_NOTICE_DAYS,
            )
        )
    return {"lines": lines}


def register_blocks() -> None:
    register_block(
        "voting_people",
        template="voting/blocks/people.html",
        data=people_block,
        homes={OFFICIAL},
        order=35,
        roles=COMMUNITY_STAFF,
    )
