"""Demo step `virtue_campaigns`: selection campaigns (评选) of the demo community, one at each stage a
newcomer should see — 廉洁模范之星 awarded last month (its history stays public), 文明家庭 in its
publicity with an objection waiting for its answer, 最美志愿者
voting now, and 廉洁示范社区 of the street taking nominations (one community's withdrawn);
最美楼栋长, cancelled with its reason."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.virtue import services_campaign_changes as changes
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.models_campaigns import Campaign

NAMES = ("张秀英", "李建国", "王桂兰", "刘志强")


def _walk(officer, community, residents, *, title, kind, start, stop: str, votes_per_voter=1, places=1):
    """A campaign started at `start`, walked with the times of its steps up to `stop`."""
    campaign = campaigns.create_campaign(
        actor=officer,
        area=community,
        kind=kind,
        title=title,
        description="由社区党委组织，居民提名、资格审查、群众投票、公示后评定。",
        places=places,
        votes_per_voter=votes_per_voter,
        nominations_close_at=start + timedelta(days=7),
        now=start,
    )
    nominations = []
    for i, name in enumerate(NAMES[:3]):
        by = residents[i % len(residents)]
        nominations.append(
            campaigns.nominate(
                actor=by,
                campaign=campaign,
                nominee=f"{name}家庭" if "家庭" in title else name,
                reason="热心邻里互助，多年参与社区志愿服务，事迹经居民小组核实。",
                now=start + timedelta(days=1),
            )
        )
    if stop == "nominating":
        return campaign
    campaigns.close_nominations(actor=officer, campaign=campaign, now=start + timedelta(days=7))
    for nomination in nominations:
        campaigns.review_nomination(actor=officer, nomination=nomination, qualified=True)
    opens = start + timedelta(days=8)
    closes = opens + timedelta(days=5)
    now = min(timezone.now(), opens + timedelta(hours=1))
    campaigns.open_vote(actor=officer, campaign=campaign, opens_at=opens, closes_at=closes, now=now)
    for i, voter in enumerate(residents):
        pick = [nominations[0] if i % 3 else nominations[1]]
        campaigns.cast_vote(voter=voter, campaign=campaign, nominations=pick, now=opens + timedelta(hours=2))
    if stop == "voting":
        return campaign
    campaign = campaigns.start_publicity(actor=officer, campaign=campaign, now=closes + timedelta(hours=1))
    if stop == "publicity":
        campaigns.raise_objection(
            actor=residents[-1],
            campaign=campaign,
            nomination=nominations[0],
            text="建议核实其志愿服务时长记录。",
            now=closes + timedelta(days=1),
        )
        return campaign
    campaigns.award(actor=officer, campaign=campaign, now=campaign.publicity_ends_at + timedelta(hours=1))
    return campaign


@seed_step(order=465)
def virtue_campaigns(ctx: SeedContext) -> None:
    officer, street_user = ctx.users.get("secretary"), ctx.users.get("street")
    community, street = ctx.places.get("community"), ctx.places.get("street")
    if None in (officer, street_user, community, street) or Campaign.objects.exists():
        return
    residents = list(
        User.objects.filter(
            under_q(community.path, "home_area__path"), verified_at__isnull=False, is_active=True
        )
        .exclude(username="resident")  # the demo resident keeps their vote and objection for a tour
        .order_by("username")[:9]
    )
    if len(residents) < 3:
        return
    now = timezone.now()
    _walk(
        officer,
        community,
        residents,
        title="2026年度廉洁模范之星评选",
        kind="integrity_star",
        start=now - timedelta(days=40),
        stop="awarded",
    )
    _walk(
        officer,
        community,
        residents,
        title="文明家庭评选",
        kind="other",
        start=now - timedelta(days=15),
        stop="publicity",
    )
    _walk(
        officer,
        community,
        residents,
        title="最美志愿者评选",
        kind="other",
        start=now - timedelta(days=8, hours=2),
        stop="voting",
        votes_per_voter=2,
        places=2,
    )
    communities = Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False)
    campaign = campaigns.create_campaign(
        actor=street_user,
        area=street,
        kind="integrity_community",
        title="廉洁示范社区评选",
        places=2,
        nominations_close_at=now + timedelta(days=10),
    )
    nominated = [
        campaigns.nominate(
            actor=street_user,
            campaign=campaign,
            nominee_area=area,
            reason="廉洁文化阵地齐全，警示教育常态化开展。",
            nominating_org=f"{street.name}党工委",
        )
        for area in communities.order_by("path")[:3]
    ]
    if len(nominated) == 3:
        changes.withdraw_nomination(actor=street_user, nomination=nominated[-1])
    cancelled = campaigns.create_campaign(
        actor=officer,
        area=community,
        kind="other",
        title="最美楼栋长评选",
        places=1,
        nominations_close_at=now + timedelta(days=5),
    )
    changes.cancel_campaign(
        actor=officer, campaign=cancelled, reason="与街道“最美网格员”评选合并，另行组织。"
    )
    ctx.log("  5 selection campaigns (awarded, in publicity, voting, nominating, cancelled)")
