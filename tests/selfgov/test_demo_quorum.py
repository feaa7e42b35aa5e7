"""The demo's matters reach their decision at every tier: a closed vote gets the ballots its quorum needs,
however many verified residents the community has (at tier L ~3,600: 5 % is 180, more than the 30 ballots a
tier-S or M community's vote gets)."""

import pytest
from django.utils import timezone

from grassroots.accounts.models import RoleGrant, User
from grassroots.areas.models import Area
from grassroots.selfgov.models import Matter
from grassroots.voting.services.tally import tally
from tests.demo.seeding import seed_only

FOUNDATION = {"areas", "party_orgs", "users", "residents"}


@pytest.mark.django_db
def test_every_closed_demo_vote_meets_its_quorum_in_a_large_community():
    seed_only(FOUNDATION)
    community = Area.objects.get(
        pk=RoleGrant.objects.filter(user__username="worker").values_list("area", flat=True).first()
    )
    User.objects.bulk_create(  # verified residents living in the demo community itself
        User(username=f"many{n:04d}", home_area=community, verified_at=timezone.now(), full_name=f"居民{n}")
        for n in range(1_000)
    )
    seed_only(FOUNDATION | {"selfgov"})

    decided = Matter.objects.filter(community=community, vote__isnull=False, vote__status="closed")
    assert decided.count() >= 4  # decision, execution, evaluation, done, and the adopted one
    for matter in decided.select_related("vote"):
        result = tally(matter.vote)
        assert result["electorate"] > 600  # 30 ballots would be under 5 %
        assert result["quorum_met"], matter.title
    assert (
        not Matter.objects.filter(community=community, state__in=["collection", "hearing"])
        .filter(title__in=["院内停车位划线管理", "楼道照明改造", "中心绿地认养", "老年助餐点设置"])
        .exists()
    )
