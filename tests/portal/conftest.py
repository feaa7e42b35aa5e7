"""Fixtures of the portal tests: notices across the cast's tree, and more of the tree on demand."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings.models import Gathering
from grassroots.portal.models import Notice
from tests.factories import Level, make_area, make_party_org, make_user


def make_notice(area, title, *, author=None, days_ago=1, pinned=False) -> Notice:
    return Notice.objects.create(
        area=area,
        title=title,
        body=f"{title}的正文",
        author=author,
        pinned=pinned,
        published_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def notices(tree, cast):
    """One notice per level along A's branch, one in B's community, one in a sibling grid of A's, and one
    scheduled for tomorrow in A's community."""
    grid_a2 = make_area("第二网格", Level.GRID, tree.community_a)
    return SimpleNamespace(
        city=make_notice(tree.city, "全市防汛通知", author=cast.city, days_ago=5),
        street_a=make_notice(tree.street_a, "青江街道文明创建", author=cast.street_a, days_ago=4),
        community_a=make_notice(
            tree.community_a, "桥楼社区停水通知", author=cast.worker, days_ago=2, pinned=True
        ),
        grid_a=make_notice(tree.grid_a, "第一网格楼道清理", author=cast.worker, days_ago=1),
        grid_a2=make_notice(grid_a2, "第二网格议事会", author=cast.worker, days_ago=1),
        community_b=make_notice(tree.community_b, "育才社区体检安排", author=cast.street_b, days_ago=1),
        scheduled=make_notice(tree.community_a, "桥楼社区明日预告", author=cast.worker, days_ago=-1),
    )


@pytest.fixture
def grow(tree):
    """grow(n): under each of the two communities add n grids, n Party branches, n residents (half verified),
    2n notices and n gatherings, so a test can check that what a page costs does not depend on n."""

    def add(n: int) -> None:
        soon = timezone.now() + timedelta(days=1)
        for community in (tree.community_a, tree.community_b):
            for i in range(n):
                grid = make_area(f"{community.name}网格{i}", Level.GRID, community)
                make_party_org(f"{community.name}第{i}支部", grid)
                resident = make_user(
                    f"r{community.pk}-{grid.pk}",
                    Role.RESIDENT,
                    grid,
                    home_area=grid,
                    verified_at=timezone.now() if i % 2 else None,
                )
                make_notice(grid, f"{grid.name}通知")
                Gathering.objects.create(
                    kind="activity",
                    title=f"{grid.name}活动",
                    area=community,
                    organizer=resident,
                    starts_at=soon,
                    ends_at=soon + timedelta(hours=2),
                )
                make_notice(community, f"{community.name}通知{i}")

    return add
