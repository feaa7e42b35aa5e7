from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.selfgov.models import CommunitySetting
from grassroots.selfgov.services import matters, opinions
from tests.factories import make_user


@pytest.fixture
def people(cast, tree, today):
    """Verified residents of the courtyard (wang, li, zhao, sun), an unverified one, a verified resident of
    the other street's community, and a grid worker of the grid. Threshold: 50% of the community's verified
    residents (the cast's resident is unverified), i.e. 2 supports."""
    now = timezone.now()

    def resident(name, area, verified=True):
        return make_user(name, Role.RESIDENT, area, home_area=area, verified_at=now if verified else None)

    CommunitySetting.objects.create(area=tree.community_a, support_percent=50, hearing_notice_days=7)
    return SimpleNamespace(
        wang=resident("wang", tree.courtyard_a),
        li=resident("li", tree.courtyard_a),
        zhao=resident("zhao", tree.courtyard_a),
        sun=resident("sun", tree.courtyard_a),
        unverified=resident("unverified", tree.courtyard_a, verified=False),
        outsider=resident("outsider", tree.community_b),
        grid=make_user("grid", Role.GRID_WORKER, tree.grid_a),
    )


@pytest.fixture
def opinion(people):
    return opinions.submit_opinion(author=people.wang, category="parking", text="院内乱停车，消防通道被堵")


@pytest.fixture
def matter(cast, tree, opinion):
    return matters.create_matter(
        actor=cast.worker,
        area=tree.courtyard_a,
        title="一号院落停车整治",
        category="parking",
        opinions=[opinion],
    )


@pytest.fixture
def in_hearing(cast, matter):
    start = timezone.now() + timedelta(days=8)
    return matters.schedule_hearing(
        actor=cast.worker,
        matter=matter,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="社区会议室",
        guests=[{"name": "物业公司", "role": "物业服务企业"}, {"name": "张三", "role": "居民代表"}],
    )


@pytest.fixture
def adopted(cast, people, in_hearing, time_machine):
    """The matter of `in_hearing` taken through its hearing and an adopting vote: in execution, round 1 (the
    clock moved to just after the hearing)."""
    from grassroots.gatherings.services import mark_held
    from grassroots.voting.services import ballots, votes

    matter = in_hearing
    time_machine.move_to(matter.hearing.starts_at + timedelta(minutes=5), tick=True)
    mark_held(actor=cast.worker, gathering=matter.hearing)
    matter.refresh_from_db()
    now = timezone.now()
    matters.call_vote(
        actor=cast.worker, matter=matter, opens_at=now, closes_at=now + timedelta(days=1), quorum_percent=50
    )
    matter.refresh_from_db()
    yes = matter.vote.options.get(position=0).pk
    for person in (people.wang, people.li, people.zhao):
        ballots.cast_ballot(voter=person, vote=matter.vote, option_ids=[yes])
    votes.close_vote(actor=cast.worker, vote=matter.vote)
    matter.refresh_from_db()
    matters.take_step(actor=cast.worker, matter=matter, name="adopt")
    matter.refresh_from_db()
    return matter
