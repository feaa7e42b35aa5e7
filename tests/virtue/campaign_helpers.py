"""Shared steps of the campaign tests: verified residents of the courtyard, a campaign of the community, and
walking it to its vote."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import PartyOrg
from grassroots.virtue import services_campaigns as campaigns
from tests.factories import make_user


def residents(tree):
    now = timezone.now()

    def resident(name, area, verified=True):
        return make_user(name, Role.RESIDENT, area, home_area=area, verified_at=now if verified else None)

    return SimpleNamespace(
        wang=resident("wang", tree.courtyard_a),
        li=resident("li", tree.courtyard_a),
        zhao=resident("zhao", tree.courtyard_a),
        unverified=resident("unverified", tree.courtyard_a, verified=False),
        outsider=resident("outsider", tree.community_b),
    )


def org_of(area, name: str | None = None) -> PartyOrg:
    """The Party organization of `area` (its committee, made on first use): what staff nominate for."""
    org, _created = PartyOrg.objects.get_or_create(
        area=area, name=name or f"{area.name}党委", defaults={"kind": "committee"}
    )
    return org


def new_campaign(cast, tree, **fields):
    data = {
        "actor": cast.worker,
        "area": tree.community_a,
        "kind": "integrity_star",
        "title": "廉洁模范之星评选",
        "places": 2,
        "votes_per_voter": 2,
        "nominations_close_at": timezone.now() + timedelta(days=7),
    } | fields
    return campaigns.create_campaign(**data)


def to_vote(cast, tree, people, names=("张大姐", "李师傅", "王老师"), **fields):
    """A campaign whose vote is open now (one hour in, three days to go), its nominations qualified."""
    campaign = new_campaign(cast, tree, **fields)
    nominations = [
        campaigns.nominate(
            actor=cast.worker,
            campaign=campaign,
            nominee=name,
            reason="热心公益",
            nominating_org=org_of(tree.community_a),
        )
        for name in names
    ]
    campaigns.close_nominations(actor=cast.worker, campaign=campaign)
    for nomination in nominations:
        campaigns.review_nomination(actor=cast.worker, nomination=nomination, qualified=True)
    now = timezone.now()
    campaign = campaigns.open_vote(
        actor=cast.worker,
        campaign=campaign,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )
    for nomination in nominations:
        nomination.refresh_from_db()
    return campaign, nominations


def code_of(info) -> str:
    """The code of a refusal (the first field's when it names fields)."""
    exc = info.value
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code
