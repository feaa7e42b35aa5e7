"""Demo step `voting`: households in the demo home area, a closed vote of the demo community's residents with
its result, and an open vote by household that the demo resident can still take part in."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.voting.models import Electorate, Household, Majority, Vote
from grassroots.voting.services import ballots, households, votes


@seed_step(order=210)
def voting(ctx: SeedContext) -> None:
    community, home = ctx.places.get("community"), ctx.places.get("home")
    officer = ctx.users.get("secretary")
    if community is None or home is None or officer is None:
        return
    if Vote.objects.filter(under_q(community.path)).exists():
        return  # idempotent
    rng = ctx.rng_for("voting")
    residents = list(
        User.objects.filter(under_q(community.path, "home_area__path"), verified_at__isnull=False)
        .exclude(household_membership__isnull=False)
        .select_related("home_area")
        .order_by("username")[:24]
    )
    in_home = [u for u in residents if u.home_area_id == home.pk]
    if not Household.objects.filter(area=home).exists():
        for i in range(0, len(in_home), 2):
            house = households.create_household(actor=officer, area=home, name=f"{i // 2 + 1}栋{101 + i % 4}")
            for user in in_home[i : i + 2]:
                if user.username != "resident":
                    households.add_member(actor=officer, household=house, user=user)
    now = timezone.now()
    closed = votes.create_vote(
        actor=officer,
        area=community,
        title="老旧小区加装电梯方案表决",
        description="按照议事协商会形成的方案，由本社区已实名核验的居民表决。",
        options=["同意", "不同意"],
        electorate=Electorate.RESIDENTS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        majority=Majority.SIMPLE,
        quorum_percent=20,
    )
    votes.publish_vote(actor=officer, vote=closed)
    yes, no = list(closed.options.values_list("pk", flat=True))
    for user in residents:
        if user.username != "resident":
            ballots.cast_ballot(voter=user, vote=closed, option_ids=[yes if rng.random() < 0.7 else no])
    votes.close_vote(actor=officer, vote=closed)
    open_vote = votes.create_vote(
        actor=officer,
        area=community,
        title="小区停车位划线方案（每户一票）",
        options=["方案一：沿路单侧划线", "方案二：集中停放区"],
        electorate=Electorate.HOUSEHOLDS,
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=7),
        majority=Majority.MOST,
        quorum_percent=50,
        secret=False,
    )
    votes.publish_vote(actor=officer, vote=open_vote)
    ctx.log(f"  2 votes, {closed.ballots.count()} ballots")
