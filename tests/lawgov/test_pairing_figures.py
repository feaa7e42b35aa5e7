"""Pairing figures (双报到结对) on 法治数据 and in the one figures registry, and the pairings' home blocks:
hand counted per subtree (pairings in force in the year, those with a service in it, services and hours), each
block shown to those who act on it, query counts bounded."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.members.services import registration as registrations
from grassroots.lawgov import services_pairings as services
from grassroots.lawgov.figures import subtree_figures
from grassroots.lawgov.figures_pairings import pairings_served
from tests.factories import make_party_org, make_user
from tests.homes import block as _block
from tests.homes import open_home
from tests.lawgov.test_pairings import _cadre_pairing, _org_pairing, court  # noqa: F401 (fixture)


@pytest.fixture
def pairings(court, cast, tree):  # noqa: F811
    """桥楼社区 (street A): the court's org pairing with two services (2 h, 1.5 h) and a cadre pairing
    without one; 育才社区 (street B): the court paired too, one service of 3 h, and one of last year."""
    org = _org_pairing(cast, tree, court)
    cadre = _cadre_pairing(cast, tree, court)
    for day, hours in ((2, "2"), (8, "1.5")):
        services.record_service(
            actor=court.rep, pairing=org, done_on=date(2027, 3, day), content="法治讲座", hours=hours
        )
    registration = services.register_unit(
        actor=court.secretary, partner=court.partner, community=tree.community_b
    )
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    registrations.confirm(actor=worker_b, registration=registration)
    b_org = make_party_org("育才社区党委", tree.community_b, kind="committee")
    b = services.create_pairing(
        actor=cast.street_b,
        kind="org",
        community=tree.community_b,
        partner=court.partner,
        department="court",
        started_on=date(2026, 6, 1),
        community_org=b_org,
    )
    services.record_service(
        actor=cast.street_b, pairing=b, done_on=date(2026, 7, 1), content="普法", hours="4"
    )
    services.record_service(
        actor=cast.street_b, pairing=b, done_on=date(2027, 3, 1), content="调解", hours="3"
    )
    return {"org": org, "cadre": cadre, "b": b}


def test_the_subtree_and_each_child_hand_counted(pairings, tree):
    figures = subtree_figures(tree.county, 2027)
    total = figures.total.f
    assert (total["pairings"], total["pairings_served"], total["services"]) == (3, 2, 3)
    assert figures.total.hours_label == "6.5"
    lines = {line.area.name: line for line in figures.children}
    a, b = lines["青江街道"], lines["东城街道"]
    assert (a.f["pairings"], a.f["pairings_served"], a.f["services"], a.hours_label) == (2, 1, 2, "3.5")
    assert (b.f["pairings"], b.f["pairings_served"], b.f["services"], b.hours_label) == (1, 1, 1, "3")
    last_year = subtree_figures(tree.county, 2026).total
    assert (last_year.f["pairings"], last_year.f["pairings_served"], last_year.hours_label) == (1, 1, "4")
    assert subtree_figures(tree.county, 2025).total.f["pairings"] == 0


def test_the_registry_provider(pairings, tree):
    from grassroots.core.assessments.figures import figures_for

    out = pairings_served([tree.street_a, tree.street_b, tree.county], 2027)
    assert out[tree.street_a.pk].rate == Decimal("0.5")
    assert out[tree.street_b.pk].rate == 1
    assert out[tree.county.pk].detail == "有服务记录 2 / 结对 3 个，服务 3 次共 6.5 小时"
    assert pairings_served([tree.street_a], 2025) == {}
    assert figures_for("lawgov.pairings_served", [tree.street_a], 2027)[tree.street_a.pk].rate == Decimal(
        "0.5"
    )


def test_the_page_shows_them_within_scope(pairings, client_for, cast, tree):
    url = reverse("lawgov:figures")
    page = client_for(cast.street_b).get(url, {"area": tree.street_b.pk, "year": 2027})
    assert page.context["figures"].total.f["pairings"] == 1
    assert 'data-figure="pairings">1<' in page.content.decode()
    assert client_for(cast.street_b).get(url, {"area": tree.street_a.pk, "year": 2027}).status_code == 404


def test_home_blocks_for_those_who_act(pairings, court, client_for, cast):  # noqa: F811
    cadre = _block(open_home(client_for(court.cadre)), "lawgov_pairings")
    assert [p.pk for p in cadre["pairings"]] == [pairings["cadre"].pk]
    rep = _block(open_home(client_for(court.rep)), "lawgov_pairings")
    hours = {p.pk: (p.year_services, p.year_hours) for p in rep["pairings"]}
    assert hours == {
        pairings["org"].pk: (2, Decimal("3.5")),
        pairings["cadre"].pk: (0, None),
        pairings["b"].pk: (1, Decimal("3")),
    }
    console = _block(open_home(client_for(cast.worker)), "lawgov_pairings_console")
    assert console["counts"] == {"active": 2, "idle": 1}
    assert [p.pk for p in console["idle"]] == [pairings["cadre"].pk]
    assert _block(open_home(client_for(cast.street_b)), "lawgov_pairings_console")["counts"] == {
        "active": 1,
        "idle": 0,
    }
    assert _block(open_home(client_for(cast.resident)), "lawgov_pairings") is None
    assert _block(open_home(client_for(cast.resident)), "lawgov_pairings_console") is None
