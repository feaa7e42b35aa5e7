"""The small fixture of the figures' tests: members in both streets' branches and on the county's own branch,
gatherings with their attendance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from grassroots.core.members.models import MemberStatus
from grassroots.gatherings.models import Gathering, Participant, Status
from tests.factories import make_party_org
from tests.orglife.conftest import make_member

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return datetime(year, month, day, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def data(tree, cast, today):
    """Members in both streets' branches (one on the county's own branch), gatherings with attendance."""
    year = today.year
    branch_a = make_party_org("桥楼社区党支部", tree.community_a)
    branch_b = make_party_org("育才社区党支部", tree.community_b)
    branch_county = make_party_org("区直机关党支部", tree.county)
    for name, branch, status in (
        ("甲", branch_a, MemberStatus.NORMAL),
        ("乙", branch_a, MemberStatus.LOST_CONTACT),
        ("丙", branch_a, MemberStatus.MOBILE),
        ("丁", branch_b, MemberStatus.NORMAL),
        ("戊", branch_b, MemberStatus.DECEASED),
        ("己", branch_county, MemberStatus.LOST_CONTACT),
    ):
        make_member(name, branch, status=status, joined_probationary_on=date(year, 3, 1))

    def gathering(area, month, status):
        start = at(year, month, 3)
        return Gathering.objects.create(
            kind="activity",
            title=f"活动{month}",
            area=area,
            organizer=cast.secretary,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=status,
        )

    held_a = gathering(tree.community_a, 2, Status.HELD)
    held_b = gathering(tree.community_b, 3, Status.HELD)
    gathering(tree.community_b, 3, Status.CANCELLED)
    Participant.objects.create(gathering=held_a, user=cast.resident, present=True)
    Participant.objects.create(gathering=held_a, user=cast.worker, present=False)
    Participant.objects.create(gathering=held_a, user=cast.secretary, present=True)
    Participant.objects.create(gathering=held_b, user=cast.resident, present=True)
    Participant.objects.create(gathering=held_b, user=cast.worker)  # attendance not recorded
    return year
