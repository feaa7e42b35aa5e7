from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.voting.models import Electorate, Majority
from grassroots.voting.services import households, votes
from tests.factories import make_user


@pytest.fixture
def voters(cast, tree, today):
    """Four verified residents of the courtyard (two share a household), one unverified, one verified
    resident of the other street's community."""
    now = timezone.now()

    def resident(name, area, verified=True):
        return make_user(name, Role.RESIDENT, area, home_area=area, verified_at=now if verified else None)

    people = SimpleNamespace(
        wang=resident("wang", tree.courtyard_a),
        li=resident("li", tree.courtyard_a),
        zhao=resident("zhao", tree.courtyard_a),
        sun=resident("sun", tree.courtyard_a),
        unverified=resident("unverified", tree.courtyard_a, verified=False),
        outsider=resident("outsider", tree.community_b),
    )
    people.home = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋101")
    people.home2 = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋102")
    households.add_member(actor=cast.worker, household=people.home, user=people.wang)
    households.add_member(actor=cast.worker, household=people.home, user=people.li)
    households.add_member(actor=cast.worker, household=people.home2, user=people.zhao)
    return people


@pytest.fixture
def make_vote(cast, tree, today):
    def make(publish=True, **fields):
        now = timezone.now()
        data = {
            "actor": cast.worker,
            "area": tree.community_a,
            "title": "是否同意加装电梯",
            "options": ["同意", "不同意"],
            "electorate": Electorate.RESIDENTS,
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=3),
            "majority": Majority.SIMPLE,
            "quorum_percent": 50,
        } | fields
        vote = votes.create_vote(**data)
        if publish:
            vote = votes.publish_vote(actor=cast.worker, vote=vote)
        return vote

    return make


def option(vote, label):
    return vote.options.get(label=label).pk
