"""The home page of each role: residents see their community's notices and what awaits them; officials see
their subtree's figures, what awaits them and recent notices. Nothing of another subtree leaks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings.services import create_gathering
from tests.factories import Level, make_area, make_party_org, make_user


def titles(response) -> set[str]:
    return {notice.title for notice in response.context["notices"]}


# --- residents --------------------------------------------------------------------------------------------


def test_resident_sees_the_notices_of_their_community_and_above_only(client_for, cast, notices):
    response = client_for(cast.resident).get("/")

    assert response.status_code == 200
    assert response.templates[0].name == "portal/home_resident.html"
    assert titles(response) == {"全市防汛通知", "青江街道文明创建", "桥楼社区停水通知", "第一网格楼道清理"}
    html = response.content.decode()
    assert "桥楼社区停水通知" in html
    assert "育才社区体检安排" not in html  # another community
    assert "第二网格议事会" not in html  # a grid of the same community that is not the resident's
    assert "桥楼社区明日预告" not in html  # scheduled for tomorrow
    # pinned first, then newest first
    assert response.context["notices"][0].title == "桥楼社区停水通知"


def test_resident_home_names_their_community_and_uses_the_phone_layout(client_for, cast, tree):
    response = client_for(cast.resident).get("/")

    assert response.context["community"] == tree.community_a
    html = response.content.decode()
    assert 'class="gr-resident"' in html
    assert "gr-bottom-nav" in html
    assert "data-figures" not in html


def test_resident_sees_their_verification_status(client_for, cast):
    client = client_for(cast.resident)
    assert 'data-verification="pending"' in client.get("/").content.decode()

    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    html = client.get("/").content.decode()
    assert 'data-verification="verified"' in html
    assert "已通过实名核验" in html


def test_resident_of_another_community_sees_that_community_only(client_for, tree, notices):
    courtyard_b = make_area("二号院落", Level.COURTYARD, tree.community_b)
    neighbour = make_user("neighbour", Role.RESIDENT, courtyard_b, home_area=courtyard_b)

    response = client_for(neighbour).get("/")

    assert titles(response) == {"全市防汛通知", "育才社区体检安排"}


def test_resident_sees_the_gatherings_coming_up_in_their_community(client_for, cast, tree):
    soon = timezone.now() + timedelta(days=1)
    for actor, area, title in [
        (cast.worker, tree.community_a, "桥楼社区重阳节活动"),
        (cast.street_b, tree.community_b, "育才社区法律讲座"),
    ]:
        create_gathering(
            actor=actor,
            kind="activity",
            title=title,
            area=area,
            starts_at=soon,
            ends_at=soon + timedelta(hours=2),
        )

    response = client_for(cast.resident).get("/")

    assert [g.title for g in response.context["gatherings"]] == ["桥楼社区重阳节活动"]
    html = response.content.decode()
    assert "桥楼社区重阳节活动" in html
    assert "育才社区法律讲座" not in html


# --- officials --------------------------------------------------------------------------------------------


def block(response, name):
    """The data of the home block `name` (portal/homes.py), or None when it is not shown."""
    return next((b.data for b in response.context["blocks"] if b.name == name), None)


def figures_of(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "portal/home_console.html"
    return block(response, "figures")["overview"]


def test_street_official_sees_the_figures_of_their_street_only(client_for, cast, tree):
    for i in range(5):
        grid = make_area(f"育才{i}网格", Level.GRID, tree.community_b)
        make_party_org(f"育才{i}支部", grid)
        make_user(f"b{i}", Role.RESIDENT, grid, home_area=grid, verified_at=timezone.now())
    make_party_org("青江街道党工委", tree.street_a, kind="committee")

    a = figures_of(client_for(cast.street_a))
    b = figures_of(client_for(cast.street_b))

    assert (a.party_orgs_total, a.party_orgs_by_kind) == (1, [("党委", 1)])
    assert (b.party_orgs_total, b.party_orgs_by_kind) == (5, [("党支部", 5)])
    # A's one resident (unverified); B's five (verified)
    assert (a.residents_total, a.residents_verified, a.residents_unverified) == (1, 0, 1)
    assert (b.residents_total, b.residents_verified, b.residents_unverified) == (5, 5, 0)
    # A: street_a, secretary, worker; B: street_b
    assert (a.staff_total, b.staff_total) == (3, 1)


def test_city_official_sees_the_whole_city(client_for, cast):
    figures = figures_of(client_for(cast.city))
    # street_a, street_b, secretary, worker, city, auditor, admin
    assert figures.staff_total == 7


def test_official_home_lists_the_notices_of_their_scope_and_above(client_for, cast, notices):
    response = client_for(cast.street_a).get("/")

    assert {n.title for n in block(response, "notices")["notices"]} == {
        "全市防汛通知",
        "青江街道文明创建",
        "桥楼社区停水通知",
        "第一网格楼道清理",
        "第二网格议事会",
    }
    assert "育才社区体检安排" not in response.content.decode()
    assert "发布通知" in response.content.decode()  # street officials manage notices


def test_auditor_gets_the_console_without_notice_management(client_for, cast):
    response = client_for(cast.auditor).get("/")

    assert response.templates[0].name == "portal/home_console.html"
    assert not response.context["may_manage_notices"]
    assert "/notices/new/" not in response.content.decode()


def test_the_official_home_opens_with_what_waits_then_key_figures(client_for, cast):
    response = client_for(cast.street_a).get("/")
    html = response.content.decode()

    names = [b.name for b in response.context["blocks"]]
    assert names[:2] == ["todo", "figures"]
    assert 'data-figure="party_orgs"' in html
    assert 'class="gr-console"' in html
    # nothing an official acts on: no counts of buildings, no bar chart of areas per level
    assert 'data-figure="level"' not in html
    assert "gr-chart" not in html


# --- what the page costs ----------------------------------------------------------------------------------


# session, user, grants (scoping), then: resident: home area + its trail, notices; official: areas by level,
# Party orgs by kind, residents, staff, notices; plus what other parts add: the unread count, one
# pending-list query per workflow model with a worklist (grassroots.workflow.selectors.pending_for), the
# gatherings. Bounded by the code, never by the rows: the same pin for a tree of 3 communities and of 30.
# resident: 14 + the 议事协商 block's community and matters (selfgov; up to three more with open votes)
# + 1 for 共建共治 (their volunteering); officials + 4 for the 共治 block (partners, agreements' two counts
# in one, the first three expiring, volunteers)
# officials + 1 or 2 for the joint meetings' action items (the to-do's query for the workflow model, the
# host's block of items to verify and overdue)
# officials + 3 for the to-do of the workflow models 协商 (negotiations, follow-ups) and 纠纷 (disputes)
# + 1 for 双报到结对 (residents: the pairings where they record services; officials: the pairings in force
# in their scope, one more for those without a service when there are some)
# + 1 for 一化's points: the resident's balance; the officials' exchanges waiting for pick-up
# officials and residents + 1 for 一化's campaigns where they can act (virtue.blocks)
# + 1 each for 一化's blocks: the events near a resident, the events with attendance to record (officials)
HOME_PINS = {"street_a": 49, "city": 48, "grid": 26, "resident": 23}


@pytest.mark.parametrize("who", list(HOME_PINS))
def test_home_query_count_does_not_grow_with_the_tree(
    client_for, cast, tree, grow, who, django_assert_max_num_queries
):
    grid_worker = make_user("grid_worker", Role.GRID_WORKER, tree.grid_a)
    client = client_for(grid_worker if who == "grid" else getattr(cast, who))
    for more in (3, 30):
        grow(more)
        with django_assert_max_num_queries(HOME_PINS[who], info=f"{who}, {more} more"):
            response = client.get("/")
        assert response.status_code == 200
    notices = response.context.get("notices") or block(response, "notices")["notices"]
    assert len(notices) > 0
