"""The granting rule (services/grants.py): at or below one's own rank, only inside one's own subtree, the
"accounts.grant" permission and the rank from the same grant; revoking never above one's rank."""

import pytest
from django.db.models import Exists, OuterRef, Q

from grassroots.access.scoping import scope_q
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.accounts.services.grants import (
    AreaOutOfScope,
    GrantRefused,
    grant_role,
    grantable_roles,
    revoke_grant,
    users_in_scope,
)
from tests.factories import Level, make_area, make_user


def fresh(user):
    """The same user as a new request would load it (no cached grants, no working area)."""
    return type(user).objects.get(pk=user.pk)


def test_a_street_official_grants_a_community_worker_in_their_street(cast, tree):
    grant = grant_role(
        grantor=cast.street_a, user=cast.resident, role=Role.COMMUNITY_WORKER, area=tree.community_a
    )
    grant.refresh_from_db()
    assert (grant.user, grant.role, grant.area, grant.granted_by) == (
        cast.resident,
        Role.COMMUNITY_WORKER,
        tree.community_a,
        cast.street_a,
    )


def test_a_grant_at_ones_own_rank_is_allowed(cast, tree):
    grant_role(grantor=cast.street_a, user=cast.resident, role=Role.STREET_OFFICIAL, area=tree.street_a)
    assert RoleGrant.objects.filter(user=cast.resident, role=Role.STREET_OFFICIAL).exists()


@pytest.mark.parametrize(
    ("grantor", "role", "area"),
    [
        ("secretary", Role.STREET_OFFICIAL, "community_a"),
        ("secretary", Role.AUDITOR, "grid_a"),
        ("street_a", Role.COUNTY_OFFICIAL, "community_a"),
        ("city", Role.SYSTEM_ADMIN, "city"),
    ],
)
def test_escalation_is_refused(cast, tree, grantor, role, area):
    with pytest.raises(GrantRefused) as refused:
        grant_role(grantor=getattr(cast, grantor), user=cast.resident, role=role, area=getattr(tree, area))
    assert refused.value.reason == "escalation"
    assert refused.value.message_dict == {"role": [f"不能授予高于本人级别的角色“{Role(role).label}”。"]}
    assert not RoleGrant.objects.filter(user=cast.resident, role=role).exists()


@pytest.mark.parametrize(
    ("grantor", "area"),
    [
        ("street_a", "street_b"),  # another street
        ("street_a", "community_b"),
        ("street_a", "county"),  # above one's own area
        ("secretary", "street_a"),
        ("worker", "grid_a"),  # sees the area, holds no accounts.grant
        ("resident", "courtyard_a"),
        ("auditor", "community_a"),  # rank 6 but no accounts.grant
    ],
)
def test_outside_ones_granting_scope_is_refused(cast, tree, grantor, area):
    with pytest.raises(AreaOutOfScope) as refused:
        grant_role(
            grantor=getattr(cast, grantor), user=cast.resident, role=Role.MEMBER, area=getattr(tree, area)
        )
    assert refused.value.reason == "out_of_scope"
    assert not RoleGrant.objects.filter(role=Role.MEMBER).exists()


def test_rank_and_the_grant_right_must_come_from_the_same_grant(cast, tree):
    # an auditor on the city (rank 6, no grant right) who is also secretary of 桥楼社区 (rank 4, grant right)
    RoleGrant.objects.create(user=cast.auditor, role=Role.COMMUNITY_SECRETARY, area=tree.community_a)
    auditor = fresh(cast.auditor)
    with pytest.raises(GrantRefused):
        grant_role(grantor=auditor, user=cast.resident, role=Role.COUNTY_OFFICIAL, area=tree.community_a)
    grant_role(grantor=auditor, user=cast.resident, role=Role.COMMUNITY_WORKER, area=tree.community_a)


def test_nobody_grants_themselves_a_higher_role(cast, tree):
    with pytest.raises(GrantRefused) as refused:
        grant_role(
            grantor=cast.secretary, user=cast.secretary, role=Role.STREET_OFFICIAL, area=tree.community_a
        )
    assert refused.value.reason == "self_escalation"
    assert refused.value.message_dict == {"role": ["不能给自己授予高于本人的角色。"]}
    assert list(cast.secretary.grants.values_list("role", flat=True)) == [Role.COMMUNITY_SECRETARY]


def test_the_working_area_narrows_the_granting_scope(cast, tree):
    city = fresh(cast.city)
    city.active_area_path = tree.street_b.path
    with pytest.raises(AreaOutOfScope):
        grant_role(grantor=city, user=cast.resident, role=Role.MEMBER, area=tree.community_a)
    grant_role(grantor=city, user=cast.resident, role=Role.MEMBER, area=tree.community_b)


def test_a_retired_area_and_a_duplicate_are_refused(cast, tree):
    tree.grid_a.retired = True
    tree.grid_a.save()
    with pytest.raises(GrantRefused) as refused:
        grant_role(grantor=cast.street_a, user=cast.resident, role=Role.GRID_WORKER, area=tree.grid_a)
    assert refused.value.reason == "retired"
    with pytest.raises(GrantRefused) as refused:
        grant_role(grantor=cast.street_a, user=cast.worker, role=Role.COMMUNITY_WORKER, area=tree.community_a)
    assert refused.value.reason == "duplicate"
    assert RoleGrant.objects.filter(user=cast.worker).count() == 1


def test_a_grant_takes_effect_for_the_grantee_at_once(cast, tree):
    grantee = cast.resident
    assert not users_in_scope(grantee).exists()
    grant_role(grantor=cast.street_a, user=grantee, role=Role.COMMUNITY_WORKER, area=tree.community_a)
    assert users_in_scope(grantee).filter(pk=cast.worker.pk).exists()


def test_revoking_within_rank(cast, tree):
    grant = cast.worker.grants.get()
    revoke_grant(grantor=cast.secretary, grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_nobody_revokes_a_grant_ranked_above_theirs(cast, tree):
    high = RoleGrant.objects.create(user=cast.resident, role=Role.STREET_OFFICIAL, area=tree.community_a)
    with pytest.raises(GrantRefused) as refused:
        revoke_grant(grantor=cast.secretary, grant=high)
    assert refused.value.message_dict == {"role": ["不能撤销高于本人级别的角色“街道干部”。"]}
    assert RoleGrant.objects.filter(pk=high.pk).exists()
    revoke_grant(grantor=cast.street_a, grant=high)
    assert not RoleGrant.objects.filter(pk=high.pk).exists()


def test_revoking_outside_ones_scope_is_refused(cast, tree):
    grant = cast.secretary.grants.get()
    with pytest.raises(AreaOutOfScope):
        revoke_grant(grantor=cast.street_b, grant=grant)
    with pytest.raises(AreaOutOfScope):
        revoke_grant(grantor=cast.worker, grant=cast.resident.grants.get())
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_grantable_roles(cast, tree):
    assert grantable_roles(cast.secretary, tree.community_a)[0] == Role.COMMUNITY_SECRETARY
    assert Role.STREET_OFFICIAL not in grantable_roles(cast.secretary, tree.community_a)
    assert grantable_roles(cast.secretary, tree.community_b) == []
    assert grantable_roles(cast.worker) == []
    assert grantable_roles(cast.resident) == []
    assert set(grantable_roles(cast.admin)) == set(Role)


def test_users_in_scope_by_grant_or_home(cast, tree):
    newcomer = make_user("newcomer", home_area=tree.courtyard_a)
    in_a = set(users_in_scope(cast.street_a).values_list("username", flat=True))
    assert in_a == {"street_a", "secretary", "worker", "resident", "newcomer"}
    assert set(users_in_scope(cast.street_b).values_list("username", flat=True)) == {"street_b"}
    RoleGrant.objects.create(user=newcomer, role=Role.MEDIATOR, area=tree.community_b)
    RoleGrant.objects.create(user=newcomer, role=Role.MEMBER, area=tree.community_b)
    in_b = list(users_in_scope(cast.street_b).values_list("username", flat=True))
    assert sorted(in_b) == ["newcomer", "street_b"], "one row per user however many grants match"


def by_paths(viewer, permission="accounts.view"):
    """`users_in_scope` as its rule reads: a grant's area or the home area's path inside the scope."""
    grant_inside = RoleGrant.objects.filter(user=OuterRef("pk")).filter(
        scope_q(viewer, permission, "area__path")
    )
    users = User.objects.filter(Q(Exists(grant_inside)) | scope_q(viewer, permission, "home_area__path"))
    return set(users.values_list("username", flat=True))


def test_users_in_scope_of_the_whole_tree_needs_no_areas(cast, tree):
    # The city's official holds the one root: everyone with a grant or a home area, without the areas.
    make_user("home_only", home_area=tree.grid_a)
    make_user("grant_only", Role.MEDIATOR, tree.community_b)
    make_user("neither")
    seen = set(users_in_scope(cast.city).values_list("username", flat=True))
    assert {"home_only", "grant_only"} <= seen and "neither" not in seen
    assert seen == by_paths(cast.city)
    assert "areas_area" not in str(users_in_scope(cast.city).query)
    for viewer in (cast.street_a, cast.street_b, cast.secretary, cast.resident):
        assert set(users_in_scope(viewer).values_list("username", flat=True)) == by_paths(viewer)
    # a second city: the first city's official no longer holds every area, and sees only their own city
    other = make_area("乐山市", Level.CITY, code="511100")
    make_user("elsewhere", home_area=make_area("某街道", Level.STREET, other))
    city = fresh(cast.city)
    seen = set(users_in_scope(city).values_list("username", flat=True))
    assert (
        "elsewhere" not in seen and seen == by_paths(city) and "areas_area" in str(users_in_scope(city).query)
    )
    # a working area narrows it alike
    city.active_area_path = tree.street_b.path
    narrowed = set(users_in_scope(city).values_list("username", flat=True))
    assert narrowed == by_paths(city) and "street_b" in narrowed and "home_only" not in narrowed


def test_granting_and_revoking_are_in_the_audit_trail(cast, tree):
    from auditlog.models import LogEntry

    grant = grant_role(grantor=cast.street_a, user=cast.resident, role=Role.GRID_WORKER, area=tree.grid_a)
    pk = grant.pk
    revoke_grant(grantor=cast.street_a, grant=grant)
    entries = LogEntry.objects.get_for_model(RoleGrant).filter(object_pk=str(pk)).order_by("timestamp")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]
