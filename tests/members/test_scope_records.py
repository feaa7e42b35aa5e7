"""Scope of members' records: "a branch secretary sees only their branch" (the organization clause of the one
scoping function), a community secretary their community, a street official their street; outsiders 404."""

import pytest
from django.http import Http404

from grassroots.access.scoping import (
    _always_reaches_a_path,
    get_scoped_or_404,
    has_perm,
    holds_every_row,
    scope_q,
    scoped,
    secretary_orgs,
)
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import ORG_SECRETARY_PERMISSIONS, Role
from grassroots.areas.models import Level, PartyOrg
from grassroots.core.members.models import Member
from grassroots.core.members.selectors.records import with_pii_flag
from tests.factories import make_area, make_party_org, make_user
from tests.members.fixtures_records import *  # noqa: F403


def names(user, permission="members.view"):
    return set(scoped(Member.objects.all(), user, permission).values_list("name", flat=True))


@pytest.fixture
def people(person, branch_x, branch_y, branch_b):
    return {
        "x": person("张晓", branch=branch_x),
        "y": person("王毅", branch=branch_y),
        "b": person("赵彬", branch=branch_b),
    }


def test_branch_secretary_sees_only_their_branch(people, branch_sec):
    assert names(branch_sec) == {"张晓"}
    assert names(branch_sec, "members.change") == {"张晓"}
    assert names(branch_sec, "people.view_pii") == {"张晓"}
    with pytest.raises(Http404):
        get_scoped_or_404(Member.objects.all(), branch_sec, "members.view", pk=people["y"].pk)


def test_community_secretary_sees_both_branches_and_street_b_none(people, cast):
    assert names(cast.secretary) == {"张晓", "王毅"}
    assert names(cast.street_a) == {"张晓", "王毅"}
    assert names(cast.street_b) == {"赵彬"}
    assert names(cast.city) == {"张晓", "王毅", "赵彬"}
    assert names(cast.resident) == set()
    with pytest.raises(Http404):
        get_scoped_or_404(Member.objects.all(), cast.street_b, "members.view", pk=people["x"].pk)


def test_the_secretary_of_a_general_branch_covers_the_branches_below(people, general, tree):
    chief = make_user("chief", Role.MEMBER, tree.courtyard_a)
    general.secretary = chief
    general.save(update_fields=["secretary"])
    assert names(chief) == {"张晓", "王毅"}
    assert set(secretary_orgs(chief)) == set(
        PartyOrg.objects.filter(name__contains="桥楼").values_list("pk", flat=True)
    )


def test_a_retired_organization_gives_its_secretary_nothing(people, branch_x, branch_sec):
    branch_x.retired = True
    branch_x.save(update_fields=["retired"])
    branch_sec.__dict__.pop("_secretary_orgs_cache", None)
    assert names(branch_sec) == set()


def test_has_perm_takes_a_record_an_organization_or_an_area(
    people, branch_sec, branch_x, branch_y, tree, cast
):
    assert has_perm(branch_sec, "members.change", people["x"])
    assert not has_perm(branch_sec, "members.change", people["y"])
    assert has_perm(branch_sec, "members.change", branch_x)
    assert not has_perm(branch_sec, "members.change", branch_y)
    # an area is not an organization: the branch secretary holds no grant on it
    assert not has_perm(branch_sec, "members.change", tree.community_a)
    # anywhere: yes, as a secretary
    assert has_perm(branch_sec, "members.view")
    # only the declared permissions travel with the secretary's office
    assert "areas.change" not in ORG_SECRETARY_PERMISSIONS
    assert not has_perm(branch_sec, "areas.change", branch_x)
    # area grants work with records too
    assert has_perm(cast.secretary, "people.view_pii", people["y"])
    assert not has_perm(cast.worker, "people.view_pii", people["x"])  # a worker sees masked data only
    assert not has_perm(cast.street_b, "members.view", people["x"])
    # the old keyword still works
    assert has_perm(cast.street_a, "areas.change", area=tree.community_a)


def test_the_organization_clause_is_one_query_and_cached(people, branch_sec, django_assert_num_queries):
    with django_assert_num_queries(3):  # the user's grants and organizations (once each), then the rows
        assert names(branch_sec) == {"张晓"}
        assert has_perm(branch_sec, "members.view", people["x"])
    with django_assert_num_queries(1):  # cached on the user for the request
        assert names(branch_sec) == {"张晓"}


def test_scope_q_adds_the_clause_only_when_asked(people, branch_sec):
    without = Member.objects.filter(scope_q(branch_sec, "members.view", Member.scope_path))
    with_org = Member.objects.filter(
        scope_q(branch_sec, "members.view", Member.scope_path, org_field="branch")
    )
    assert not without.exists()
    assert list(with_org.values_list("name", flat=True)) == ["张晓"]


def test_a_grant_and_an_office_elsewhere_are_one_subquery_of_organizations(people, branch_b, cast, tree):
    """A community secretary who also leads a branch of another street: the rows reaching their area through
    their branch are kept by one `branch IN (organizations in the scope or led)`, never an OR over the
    join (SQLite drove the search from the status index with it: docs/performance.md)."""
    branch_b.secretary = cast.secretary
    branch_b.save(update_fields=["secretary"])
    assert names(cast.secretary) == {"张晓", "王毅", "赵彬"}  # the community's two branches, and branch_b
    assert names(cast.secretary, "people.view_pii") == {"张晓", "王毅", "赵彬"}
    # a permission of the grant that the office does not carry: the community's only
    assert names(cast.secretary, "areas.change") == {"张晓", "王毅"}
    where = str(scoped(Member.objects.all(), cast.secretary, "members.view").query).split(" WHERE ", 1)[1]
    assert where.startswith('"members_member"."branch_id" IN (SELECT'), where
    assert " OR " not in where.split("(SELECT", 1)[0]  # the OR is inside the subquery of organizations
    # the organizations themselves: those in the community's areas and the one led, by their own columns
    orgs = PartyOrg.objects.filter(scope_q(cast.secretary, "members.view", "area__path", org_field="pk"))
    expected = {o for o in PartyOrg.objects.all() if o.area.path.startswith(tree.community_a.path)}
    assert set(orgs) == expected | {branch_b} and len(expected) == 3  # the general branch and its two
    assert "JOIN" not in str(orgs.order_by().query)  # (the model orders by the area's path)
    # a lookup of another shape keeps the OR: the rows' area is their own, not their organization's
    q = scope_q(cast.secretary, "members.view", "home_area__path", org_field="branch")
    assert len(q.children) == 2 and q.connector == "OR"


def test_a_working_area_elsewhere_narrows_the_secretary_out(people, branch_sec, tree):
    branch_sec.active_area_path = tree.community_b.path
    assert names(branch_sec) == set()
    branch_sec.active_area_path = tree.courtyard_a.path  # inside the branch's community: still theirs
    assert names(branch_sec) == {"张晓"}


# --- pages ----------------------------------------------------------------------------------------------
def test_pages_follow_the_scope(people, branch_sec, cast, client_for):
    sec = client_for(branch_sec)
    html = sec.get("/members/").content.decode()
    assert "张晓" in html and "王毅" not in html and "赵彬" not in html
    assert sec.get(f"/members/{people['x'].pk}/").status_code == 200
    assert sec.get(f"/members/{people['y'].pk}/").status_code == 404

    street_b = client_for(cast.street_b)
    assert street_b.get(f"/members/{people['x'].pk}/").status_code == 404
    assert street_b.get(f"/members/{people['x'].pk}/edit/").status_code == 404
    html = street_b.get("/members/").content.decode()
    assert "赵彬" in html and "张晓" not in html

    community = client_for(cast.secretary).get("/members/").content.decode()
    assert "张晓" in community and "王毅" in community and "赵彬" not in community


def test_a_resident_gets_403_on_the_list_and_404_on_a_record(people, cast, client_for):
    client = client_for(cast.resident)
    assert client.get("/members/").status_code == 403
    assert client.get(f"/members/{people['x'].pk}/").status_code == 404


def test_who_may_change_visible_records(people, cast, client_for, tree):
    auditor = client_for(cast.auditor)  # sees (members.view) but may not change
    assert auditor.get(f"/members/{people['x'].pk}/").status_code == 200
    assert auditor.get(f"/members/{people['x'].pk}/edit/").status_code == 403
    assert client_for(cast.worker).get(f"/members/{people['x'].pk}/edit/").status_code == 200


def test_another_branch_in_the_same_area_stays_hidden_from_the_secretary(person, tree, branch_sec):
    other = make_party_org("桥楼社区第三党支部", tree.community_a)  # not below the branch_sec's branch
    person("孙三", branch=other)
    assert names(branch_sec) == set()


# --- the whole tree: a city's officials at one city -------------------------------------------------------
def scoped_sql(user, permission="members.view"):
    return str(scoped(Member.objects.all(), user, permission).query)


def test_holding_every_root_reads_every_record_without_the_join_to_the_areas(people, cast, tree):
    # One city: the city's official holds every area, so every record is in scope and the scope adds no
    # condition (the list counts and sorts from the member table's own indexes; docs/performance.md).
    assert holds_every_row(cast.city, "members.view", Member)
    assert names(cast.city) == {"张晓", "王毅", "赵彬"}
    assert "areas_area" not in scoped_sql(cast.city) and "WHERE" not in scoped_sql(cast.city)
    assert not holds_every_row(cast.street_a, "members.view", Member)
    assert "areas_area" in scoped_sql(cast.street_a)


def test_a_second_city_takes_the_first_citys_officials_off_the_whole_tree(people, cast, tree):
    other = make_area("乐山市", Level.CITY, code="511100")
    stranger = Member.objects.get(pk=people["b"].pk)
    stranger.branch = make_party_org("乐山某支部", make_area("某街道", Level.STREET, other))
    stranger.save(update_fields=["branch"])
    city = User.objects.get(pk=cast.city.pk)  # a new request: the grants are cached on the user for one
    assert not holds_every_row(city, "members.view", Member)
    assert names(city) == {"张晓", "王毅"}
    assert "areas_area" in scoped_sql(city)
    both = make_user("both", Role.CITY_OFFICIAL, tree.city)
    RoleGrant.objects.create(user=both, role=Role.CITY_OFFICIAL, area=other)
    both = User.objects.get(pk=both.pk)
    assert holds_every_row(both, "members.view", Member)
    assert names(both) == {"张晓", "王毅", "赵彬"} and "areas_area" not in scoped_sql(both)


def test_a_working_area_or_a_missing_permission_is_not_the_whole_tree(people, cast, tree):
    cast.city.active_area_path = tree.street_b.path
    assert not holds_every_row(cast.city, "members.view", Member)
    assert names(cast.city) == {"赵彬"}
    cast.city.active_area_path = None
    assert not holds_every_row(cast.resident, "members.view", Member)
    assert names(cast.resident) == set()


def test_only_rows_reaching_an_area_through_required_keys_skip_the_condition(cast):
    assert _always_reaches_a_path(Member, "branch__area__path")
    assert not _always_reaches_a_path(Member, "home_area__path")  # a record may have no home
    assert not _always_reaches_a_path(Member, "branch__area__name")
    assert not holds_every_row(cast.city, "members.view", Member, "home_area__path")


def test_the_pii_flag_of_the_whole_tree_is_true_without_a_subquery(people, cast):
    rows = with_pii_flag(Member.objects.all(), cast.city)
    assert set(rows.values_list("pii_visible", flat=True)) == {has_perm(cast.city, "people.view_pii")}
    if has_perm(cast.city, "people.view_pii"):
        assert "EXISTS" not in str(rows.query)
