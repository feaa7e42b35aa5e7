"""Who sees which gathering (selectors.visibility_q), and upcoming_for for the home page."""

from datetime import timedelta

import pytest
from django.http import Http404

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.gatherings import selectors, services
from tests.factories import Level, make_area, make_user


@pytest.fixture
def spread(cast, tree, make_gathering):
    """Public gatherings at every level around the resident, and a few that they must not see."""
    building = make_area("1栋", Level.BUILDING, tree.courtyard_a)
    return {
        "city": make_gathering(title="市级讲座", area=tree.city, actor=cast.city, kind="lecture"),
        "street_a": make_gathering(title="街道现场会", area=tree.street_a, kind="site_meeting"),
        "community_a": make_gathering(title="社区议事会", area=tree.community_a),
        "courtyard_a": make_gathering(title="院落坝坝会", area=tree.courtyard_a),
        "building": make_gathering(title="楼栋会", area=building),
        "invited_a": make_gathering(title="社区两委会", area=tree.community_a, visibility="invited"),
        "community_b": make_gathering(title="育才社区活动", area=tree.community_b, actor=cast.street_b),
        "street_b": make_gathering(title="东城街道听证会", area=tree.street_b, actor=cast.street_b),
    }


def titles(user) -> set[str]:
    return set(selectors.visible_to(user).values_list("title", flat=True))


def test_a_resident_sees_public_gatherings_of_the_areas_at_and_above_home(cast, spread):
    assert titles(cast.resident) == {"市级讲座", "街道现场会", "社区议事会", "院落坝坝会"}


def test_a_resident_sees_an_invited_only_gathering_once_invited(cast, spread):
    services.invite(actor=cast.street_a, gathering=spread["invited_a"], users=[cast.resident])
    assert "社区两委会" in titles(cast.resident)


def test_a_resident_sees_what_they_signed_up_for_or_checked_in(cast, spread):
    # A resident who moved away keeps seeing the gatherings they took part in.
    services.sign_up(user=cast.resident, gathering=spread["community_a"])
    RoleGrant.objects.filter(user=cast.resident).delete()
    cast.resident.home_area = None
    cast.resident.save()
    cast.resident.__dict__.pop("_grants_cache", None)
    assert titles(cast.resident) == {"社区议事会"}


def test_home_area_counts_for_a_resident_living_in_a_building(cast, tree, spread):
    building = spread["building"].area
    tenant = make_user("tenant", Role.RESIDENT, tree.courtyard_a, home_area=building)
    assert "楼栋会" in titles(tenant)
    assert "育才社区活动" not in titles(tenant)


def test_no_grant_no_gatherings(db, tree, spread):
    newcomer = make_user("newcomer", home_area=tree.courtyard_a)  # registered, not yet verified
    assert titles(newcomer) == set()


def test_officials_see_every_gathering_in_their_scope_and_public_ones_above(cast, spread):
    assert titles(cast.street_a) == {
        "市级讲座",
        "街道现场会",
        "社区议事会",
        "院落坝坝会",
        "楼栋会",
        "社区两委会",
    }
    assert titles(cast.street_b) == {"市级讲座", "育才社区活动", "东城街道听证会"}
    assert titles(cast.city) == {g.title for g in spread.values()}


def test_a_community_worker_sees_invited_only_gatherings_of_the_community(cast, spread):
    assert "社区两委会" in titles(cast.worker)
    assert "东城街道听证会" not in titles(cast.worker)


def test_a_party_member_sees_like_a_resident(cast, tree, spread):
    member = make_user("member", Role.MEMBER, tree.community_a)
    assert titles(member) == {"市级讲座", "街道现场会", "社区议事会"}


def test_the_working_area_narrows_what_an_official_sees(cast, tree, spread):
    cast.city.active_area_path = tree.street_b.path
    assert titles(cast.city) == {"市级讲座", "育才社区活动", "东城街道听证会"}


def test_get_visible_or_404(cast, spread):
    assert selectors.get_visible_or_404(cast.resident, spread["community_a"].pk).title == "社区议事会"
    for pk in (spread["community_b"].pk, spread["invited_a"].pk, 999999, "abc"):
        with pytest.raises(Http404):
            selectors.get_visible_or_404(cast.resident, pk)


def test_upcoming_for_lists_the_soonest_visible_first(cast, tree, make_gathering):
    later = make_gathering(title="后天", starts_in=timedelta(days=2))
    soon = make_gathering(title="明天", starts_in=timedelta(days=1))
    make_gathering(title="已结束", starts_in=timedelta(days=-2))
    cancelled = make_gathering(title="取消的", starts_in=timedelta(hours=5))
    services.cancel_gathering(actor=cast.street_a, gathering=cancelled)
    make_gathering(title="别处", area=tree.community_b, actor=cast.street_b)
    assert selectors.upcoming_for(cast.resident) == [soon, later]
    assert selectors.upcoming_for(cast.resident, limit=1) == [soon]


def test_upcoming_for_puts_what_the_user_signed_up_for_first(cast, make_gathering):
    """Five open sessions sooner than the lecture a resident signed up for: the home still shows the
    lecture, first, then the others soonest first."""
    sessions = [make_gathering(title=f"咨询{n}", starts_in=timedelta(days=1, hours=n)) for n in range(5)]
    lecture = make_gathering(title="廉洁文化大讲堂", starts_in=timedelta(days=9))
    assert lecture not in selectors.upcoming_for(cast.resident)
    services.sign_up(user=cast.resident, gathering=lecture)
    assert selectors.upcoming_for(cast.resident) == [lecture, *sessions[:4]]
    assert selectors.upcoming_for(cast.street_b) == []  # another street's official: nothing of 桥楼社区
