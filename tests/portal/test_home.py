"""The home page of each role: residents see their community's notices and what awaits them; officials see
their subtree's figures, what awaits them and recent notices. Nothing of another subtree leaks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings.services import create_gathering
from tests.factories import Level, make_area, make_party_org, make_user
from tests.homes import block, open_home


def titles(response) -> set[str]:
    return {notice.title for notice in response.context["notices"]}


# --- residents --------------------------------------------------------------------------------------------


def test_resident_sees_the_notices_of_their_community_and_above_only(client_for, cast, notices):
    response = open_home(client_for(cast.resident))

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
    response = open_home(client_for(cast.resident))

    assert response.context["community"] == tree.community_a
    html = response.content.decode()
    assert 'class="gr-resident"' in html
    assert "gr-bottom-nav" in html
    assert "data-figures" not in html


def test_resident_sees_their_verification_status(client_for, cast):
    client = client_for(cast.resident)
    assert 'data-verification="pending"' in open_home(client).content.decode()

    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    html = open_home(client).content.decode()
    assert 'data-verification="verified"' in html
    assert "已通过实名核验" in html


def test_resident_of_another_community_sees_that_community_only(client_for, tree, notices):
    courtyard_b = make_area("二号院落", Level.COURTYARD, tree.community_b)
    neighbour = make_user("neighbour", Role.RESIDENT, courtyard_b, home_area=courtyard_b)

    response = open_home(client_for(neighbour))

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

    response = open_home(client_for(cast.resident))

    assert [g.title for g in response.context["gatherings"]] == ["桥楼社区重阳节活动"]
    html = response.content.decode()
    assert "桥楼社区重阳节活动" in html
    assert "育才社区法律讲座" not in html


# --- officials --------------------------------------------------------------------------------------------


def figures_of(client):
    """{figure name: the line of the home area's subtree} of the dashboard on the official's home."""
    response = open_home(client)
    assert response.status_code == 200
    assert response.templates[0].name == "portal/home_console.html"
    return {definition.name: line for definition, line, _parts in block(response, "figures")["tiles"]}


def test_street_official_sees_the_figures_of_their_street_only(client_for, cast, tree):
    """The counts that were the home's own (Party organizations by kind, residents, staff) are the registry's
    figures now (areas.party_orgs, accounts.residents, accounts.staff), on the home's dashboard."""
    for i in range(5):
        grid = make_area(f"育才{i}网格", Level.GRID, tree.community_b)
        make_party_org(f"育才{i}支部", grid)
        make_user(f"b{i}", Role.RESIDENT, grid, home_area=grid, verified_at=timezone.now())
    make_party_org("青江街道党工委", tree.street_a, kind="committee")

    a = figures_of(client_for(cast.street_a))
    b = figures_of(client_for(cast.street_b))

    orgs_a, orgs_b = a["areas.party_orgs"], b["areas.party_orgs"]
    assert (orgs_a.value, orgs_a.counts["committee"], orgs_a.counts["branch"]) == (1, 1, 0)
    assert (orgs_b.value, orgs_b.counts["committee"], orgs_b.counts["branch"]) == (5, 0, 5)
    # A's one resident (unverified); B's five (verified)
    people_a, people_b = a["accounts.residents"], b["accounts.residents"]
    assert (people_a.value, people_a.counts["verified"]) == (1, 0)
    assert (people_b.value, people_b.counts["verified"]) == (5, 5)
    # A: street_a, secretary, worker; B: street_b
    assert (a["accounts.staff"].value, b["accounts.staff"].value) == (3, 1)


def test_city_official_sees_the_whole_city(client_for, cast):
    figures = figures_of(client_for(cast.city))
    # street_a, street_b, secretary, worker, city, auditor, admin
    assert figures["accounts.staff"].value == 7


def test_official_home_lists_the_notices_of_their_scope_and_above(client_for, cast, notices):
    response = open_home(client_for(cast.street_a))

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
    response = open_home(client_for(cast.auditor))

    assert response.templates[0].name == "portal/home_console.html"
    assert not response.context["may_manage_notices"]
    assert "/notices/new/" not in response.content.decode()


def test_the_official_home_is_their_areas_dashboard(client_for, cast, tree):
    """What waits first (the to-do, then what asks for action), then the registry's figures of the area's
    subtree, the key figure per child area, ranked, and its trend; the links open /dashboard/ for a child."""
    response = open_home(client_for(cast.street_a))
    html = response.content.decode()

    names = [b.name for b in response.blocks]
    assert names[:2] == ["todo", "figures"]
    data = block(response, "figures")
    assert data["area"] == tree.street_a and data["chosen"].name == "duties.completion"
    assert html.index('data-block="todo"') < html.index('data-block="attention"') < html.index("data-figures")
    assert 'data-figure="areas.party_orgs"' in html and 'data-figure="members.lost_contact"' in html
    assert f'data-child="{tree.community_a.pk}"' in html
    assert f'href="/dashboard/?area={tree.community_a.pk}&amp;year=' in html
    assert 'data-chart-source="gr-children-chart"' in html and 'class="gr-console"' in html
    # nothing of another street
    assert f'data-child="{tree.community_b.pk}"' not in html and "育才社区" not in html


def test_the_city_officials_home_maps_the_counties(client_for, cast, tree):
    html = open_home(client_for(cast.city)).content.decode()
    assert 'data-area-map="gr-children-map"' in html and f'data-child="{tree.county.pk}"' in html


@pytest.mark.parametrize("who", ["community_secretary", "county_official"])
def test_every_line_official_opens_on_their_areas_dashboard(client_for, tree, who):
    """Community staff and county officials too (the street's and the city's: above)."""
    area = tree.community_a if who == "community_secretary" else tree.county
    official = make_user(f"home-{who}", Role(who), area)
    response = open_home(client_for(official))
    assert block(response, "figures")["area"] == area
    assert "data-figures" in response.content.decode()


def test_the_auditor_and_the_resident_keep_their_homes(client_for, cast):
    """No dashboard for the roles without the officials' figures."""
    auditor = open_home(client_for(cast.auditor))
    assert block(auditor, "figures") is None and "data-figures" not in auditor.content.decode()
    resident = open_home(client_for(cast.resident))
    assert resident.templates[0].name == "portal/home_resident.html"
    assert "data-figures" not in resident.content.decode()


# --- what the page costs ----------------------------------------------------------------------------------


# session, user, grants (scoping), then: resident: home area + its trail, notices; official: areas by level,
# Party orgs by kind, residents, staff, notices; plus what other parts add: the unread count, the to-do, the
# gatherings. Bounded by the code, never by the rows: the same pin for a tree of 3 communities and of 30.
# The to-do (grassroots.workflow.selectors.pending_groups) is ONE statement counting every worklist (a UNION
# ALL of one COUNT per workflow model: `pending_totals`), then one query per kind of work that waits for the
# user (its first items), plus one for the areas' names when there are items; before 2026-12-07 it was one
# query per workflow model (~20) on every view. It is still computed on every view: it must change as soon as
# the user acts. The other parts' blocks:
# resident: the 议事协商 block's community and matters (selfgov; up to three more with open votes)
# + 1 for 共建共治 (their volunteering); officials + 4 for the 共治 block (partners, agreements' two counts
# in one, the first three expiring, volunteers)
# officials + 1 for the host's block of joint-meeting items to verify and overdue
# + 1 for 双报到结对 (residents: the pairings where they record services; officials: the pairings in force
# in their scope, one more for those without a service when there are some)
# + 1 for 一化's points: the resident's balance; the officials' exchanges waiting for pick-up
# officials and residents + 1 for 一化's campaigns where they can act (virtue.blocks)
# + 1 each for 一化's blocks: the events near a resident, the events with attendance to record (officials)
# Tightened 2026-12-07 to what the page makes (was 49 / 48 / 26 / 23 with the per-model to-do and slack).
# 2026-12-07, issue 18: the officials' home is their area's dashboard (grassroots.figures.panel). These pins
# are the figures COMPUTED (the suite turns the figure cache off): one aggregate per registry figure the
# official sees (41 for the city and the street, two for the median of settlement days), the chosen figure's
# roll-up (one or two statements, the children) and its trend (one), the default area (one); gone: the
# home's own overview (three) and the key figures the dashboard computes (duties, organizational life,
# coverage, funds: eight), the providers that are no dashboard figure stay (rectification, four systems).
# 36 / 35 → 70 / 69. A figure a part registers adds one here. With the cache warm (300 s in production, shared
# by every viewer of the area) the figures cost nothing: HOME_WARM_PINS below, lower than the pins before.
#
# 2026-12-08, issue 19: the blocks load on their own (portal/homes.py), each in a request of its own, so these
# pins count the page and every block's request together, as the browser makes them (tests.homes.open_home):
# each block's request adds the request's own three (the session, the user, their grants) to what the block
# costs: 70 / 69 / 17 / 19 → 106 / 105 / 37 / 49 (a block for some roles only — `roles=` — is not asked for by
# anyone else: no request). The page alone: HOME_PAGE_PINS below.
HOME_PINS = {"street_a": 106, "city": 105, "grid": 37, "resident": 49}
# The page without its lazy blocks: the session, the user, their grants and the layout's menu; the dashboard
# (rendered in the page: its figures computed here, the suite turning the figure cache off); for a resident
# their home area's trail, the notices, what waits for them and the coming gatherings.
HOME_PAGE_PINS = {"street_a": 53, "city": 53, "grid": 5, "resident": 10}


@pytest.mark.parametrize("who", list(HOME_PINS))
def test_home_query_count_does_not_grow_with_the_tree(
    client_for, cast, tree, grow, who, django_assert_max_num_queries
):
    """The page alone (HOME_PAGE_PINS: sent before its blocks are counted), and the page with every block's
    request as the browser makes them (HOME_PINS)."""
    grid_worker = make_user("grid_worker", Role.GRID_WORKER, tree.grid_a)
    client = client_for(grid_worker if who == "grid" else getattr(cast, who))
    for more in (3, 30):
        grow(more)
        with django_assert_max_num_queries(HOME_PAGE_PINS[who], info=f"the page: {who}, {more} more"):
            page = client.get("/")
        assert page.status_code == 200
        with django_assert_max_num_queries(HOME_PINS[who], info=f"with its blocks: {who}, {more} more"):
            response = open_home(client)
        assert response.status_code == 200
    html = page.content.decode()
    assert 'data-lazy-block="notices"' in html or 'data-lazy-block="virtue_campaigns"' in html
    assert "data-todo-line" not in html  # the to-do comes with its own request
    notices = response.context.get("notices") or block(response, "notices")["notices"]
    assert len(notices) > 0


@pytest.mark.parametrize("children", [2, 8])
def test_the_home_dashboard_costs_the_same_for_2_and_8_child_areas(
    client_for, cast, tree, children, django_assert_max_num_queries
):
    """The street official's home: the ranking of the street's communities, whatever their number."""
    for i in range(children - 1):
        make_area(f"新社区{i}", Level.COMMUNITY, tree.street_a)
    client = client_for(cast.street_a)
    with django_assert_max_num_queries(HOME_PINS["street_a"], info=f"{children} children"):
        response = open_home(client)
    assert response.content.decode().count("data-child=") == children
