"""The cast of organizational life, on top of tests/conftest.py's tree and cast.

青江街道党工委 (street_org, on 青江街道)
└── 桥楼社区党委 (community_org, on 桥楼社区; secretary: parent_sec)
    └── 桥楼社区第一网格党支部 (branch, on 第一网格; secretary: branch_sec) └── 第一党小组 (a group)
东城街道党工委 … 育才社区党支部 (branch_b, on 育才社区: the outsider's)

branch_sec  Party member on 桥楼社区, secretary of the branch (no official role): the branch side
parent_sec  Party member on 桥楼社区, secretary of 桥楼社区党委: the organization above
cast.worker community worker on 桥楼社区: the branch side by role
cast.street_a street official on 青江街道: the organization above by role
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import PartyOrg
from grassroots.core.members.identity import id_check_digit
from grassroots.core.members.models import Member
from tests.factories import make_party_org, make_user

_serial = iter(range(100, 999))


def make_id(birth: str = "19800101") -> str:
    first17 = "511802" + birth + str(next(_serial))
    return first17 + id_check_digit(first17)


def make_member(name: str, branch, user=None, **fields) -> Member:
    return Member.objects.create(
        name=name,
        gender=fields.pop("gender", "male"),
        birth_date=date(1980, 1, 1),
        id_number=make_id(),
        branch=branch,
        joined_probationary_on=fields.pop("joined_probationary_on", date(2005, 7, 1)),
        joined_full_on=fields.pop("joined_full_on", date(2006, 7, 1)),
        user=user,
        **fields,
    )


def at(day: date, hour: int = 9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def backdate(org: PartyOrg, day: date) -> None:
    PartyOrg.objects.filter(pk=org.pk).update(created_at=at(day, 8))
    org.refresh_from_db()


@pytest.fixture
def orgs(tree, cast):
    branch_sec = make_user("branch_sec", Role.MEMBER, tree.community_a)
    parent_sec = make_user("parent_sec", Role.MEMBER, tree.community_a)
    street_org = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community_org = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street_org)
    community_org.secretary = parent_sec
    community_org.save()
    branch = make_party_org("桥楼社区第一网格党支部", tree.grid_a, parent=community_org)
    branch.secretary = branch_sec
    branch.save()
    group = make_party_org("第一党小组", tree.grid_a, kind="group", parent=branch)
    street_b_org = make_party_org("东城街道党工委", tree.street_b, kind="committee")
    branch_b = make_party_org("育才社区党支部", tree.community_b, parent=street_b_org)
    for org in (branch, branch_b):
        backdate(org, date(2020, 1, 1))
    return SimpleNamespace(
        branch_sec=branch_sec,
        parent_sec=parent_sec,
        street_org=street_org,
        community_org=community_org,
        branch=branch,
        group=group,
        branch_b=branch_b,
    )


@pytest.fixture
def members(orgs, tree):
    """Three members of the branch: two with platform accounts, one without."""
    alice = make_user("m_alice")
    bob = make_user("m_bob")
    return SimpleNamespace(
        alice=make_member("王丽", orgs.branch, user=alice),
        bob=make_member("李波", orgs.branch, user=bob),
        chen=make_member("陈晨", orgs.branch),
    )


def last_week():
    return timezone.localdate() - timedelta(days=7)
