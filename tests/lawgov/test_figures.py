"""法治's figures on a hand-counted fixture (clock pinned): disputes by level, kind and category, settlement
rate, median days, escalations, open / at-risk / overdue, the stations' sessions held, bookings and
consultations, for a subtree and per child area (the ones behind first); the registry's providers; the
figures page with its scope (owner, member, outsider) and its query count; the home blocks of mediators,
officials, legal workers and residents."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.gatherings.services.series import materialise_all
from grassroots.lawgov import services_disputes as disputes
from grassroots.lawgov import services_stations as stations
from grassroots.lawgov.figures import disputes_in_time, disputes_settled, subtree_figures
from grassroots.lawgov.models_disputes import Dispute
from tests.factories import Level, make_area, make_user
from tests.homes import block as _block
from tests.homes import open_home
from tests.lawgov.conftest import verified

BEIJING = ZoneInfo("Asia/Shanghai")


def at(month, day, year=2026):
    return datetime(year, month, day, 9, 0, tzinfo=BEIJING)


def _file(actor, area, title, category, *, channel="grid", at_risk=False):
    return disputes.file_dispute(
        actor=actor,
        area=area,
        title=title,
        category=category,
        description="经过。",
        channel=channel,
        at_risk=at_risk,
        parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    )


def _mediate(actor, case, *, when=None):
    disputes.record_session(
        actor=actor,
        dispute=case,
        held_at=when or datetime.now(tz=BEIJING),
        place="调解室",
        mediator_names="调解员",
        record="记录。",
    )


def _settle(actor, case):
    case.refresh_from_db()
    _mediate(actor, case)
    disputes.start_mediation(actor=actor, dispute=case)
    disputes.settle(actor=actor, dispute=case, text="达成协议。")


@pytest.fixture
def law(time_machine, cast, tree, mediators):
    """Street A (community A): A1 settled in 4 days, A2 escalated to the street and settled there in 10, A3
    at risk and open (overdue), A4 closed; street B (community B): B1 settled in 6 days, B2 and B3 open in
    time, C0 received last year and open (overdue). Community A's station: a monthly session (Jan, Feb,
    Mar held, Apr to come), two bookings, two consultations. The clock ends on 2026-03-20."""
    time_machine.move_to(at(12, 20, 2025), tick=False)
    c0 = _file(cast.street_b, tree.community_b, "去年的纠纷", "other")
    time_machine.move_to(at(1, 1), tick=False)
    station = stations.create_station(actor=cast.worker, area=tree.community_a, name="桥楼社区法律服务站")
    session = stations.schedule_session(
        actor=cast.worker,
        station=station,
        provider="hrss",
        title="人社局劳动保障咨询",
        start_time=time(9, 30),
        duration_minutes=120,
        capacity=5,
        frequency="monthly_weekday",
        weekday=1,
        week_of_month=1,
        starts_on=date(2026, 1, 1),
        until=date(2026, 12, 31),
    )
    time_machine.move_to(at(3, 2), tick=False)
    materialise_all()
    occurrences = {o.starts_at.date(): o for o in session.series.occurrences.all()}
    stations.book(user=cast.resident, occurrence=occurrences[date(2026, 3, 3)])
    stations.book(user=cast.resident, occurrence=occurrences[date(2026, 4, 7)])
    for question in ("工资拖欠怎么办", "租房押金"):
        stations.record_consultation(actor=cast.worker, station=station, topic="labour", question=question)
    verified(cast.resident)  # only a verified resident files online
    a1 = _file(cast.resident, tree.courtyard_a, "楼上漏水", "neighbours", channel="online")
    a2 = _file(cast.worker, tree.grid_a, "劳务费", "labour", channel="station")
    a3 = _file(cast.worker, tree.grid_a, "家庭冲突", "family", at_risk=True)
    a4 = _file(cast.worker, tree.grid_a, "装修合同", "contract")
    b1 = _file(cast.street_b, tree.community_b, "物业费", "property_management")
    b2 = _file(cast.street_b, tree.community_b, "停车位", "other")
    _file(cast.street_b, tree.community_b, "噪音", "other")
    _mediate(mediators.community, a2)
    disputes.start_mediation(actor=mediators.community, dispute=a2)
    disputes.escalate(actor=mediators.community, dispute=a2, reason="社区调解未果")
    disputes.close(actor=mediators.community, dispute=a4, advice="litigation", reason="对方拒绝调解")
    time_machine.move_to(at(3, 6), tick=False)
    _settle(mediators.community, a1)
    time_machine.move_to(at(3, 8), tick=False)
    _settle(cast.street_b, b1)
    time_machine.move_to(at(3, 12), tick=False)
    _settle(mediators.street, a2)
    time_machine.move_to(at(3, 20), tick=False)
    _mediate(mediators.community, a3, when=at(3, 25))  # the next session of the caseload
    return SimpleNamespace(station=station, a3=a3, c0=c0, b2=b2)


def test_the_subtree_and_each_child_hand_counted(law, tree):
    figures = subtree_figures(tree.county, 2026)
    t = figures.total
    assert t.received == 7 and (t.f["settled"], t.f["closed"]) == (3, 1)
    assert t.settlement_rate == Decimal(3) / 7 and t.rate_label == "42.9%"
    assert t.median_days == 6  # 4, 6, 10
    assert t.escalations == 1
    assert (t.f["open"], t.f["at_risk"], t.f["overdue"]) == (4, 1, 2)  # C0 of last year is open and overdue
    assert dict(t.by_level) == {"社区级": 6, "街道（乡镇）级": 1, "县（区）级": 0}
    assert dict(t.by_kind) == {"人民调解": 7, "行政调解": 0, "司法调解": 0}
    assert dict(t.by_category) == {
        "邻里纠纷": 1,
        "婚姻家庭纠纷": 1,
        "物业管理纠纷": 1,
        "劳动争议": 1,
        "合同纠纷": 1,
        "土地房屋纠纷": 0,
        "其他纠纷": 2,
    }
    assert (t.f["held"], t.f["sessions"], t.f["bookings"], t.f["consultations"]) == (3, 4, 2, 2)
    # per child, the ones behind first: street B settled 1 of 3, street A 2 of 4
    b, a = figures.children
    assert (b.area, a.area) == (tree.street_b, tree.street_a)
    assert (b.received, b.f["settled"], b.median_days, b.escalations, b.f["overdue"]) == (3, 1, 6, 0, 1)
    assert (a.received, a.f["settled"], a.median_days, a.escalations, a.f["overdue"]) == (4, 2, 7, 1, 1)
    assert (a.f["held"], a.f["bookings"], b.f["held"], b.f["bookings"]) == (3, 2, 0, 0)
    assert figures.own is None
    # the children add up to the total
    for name in ("received", "settled", "open", "overdue", "bookings", "consultations"):
        assert a.f[name] + b.f[name] == t.f[name]
    # last year: only C0 received; still open and overdue
    last = subtree_figures(tree.county, 2025).total
    assert (last.received, last.f["open"], last.f["held"]) == (1, 4, 0)


def test_the_registry_providers(law, tree):
    from grassroots.core.assessments.figures import figures_for, is_registered

    assert is_registered("lawgov.disputes_settled") and is_registered("lawgov.disputes_in_time")
    settled = disputes_settled([tree.street_a, tree.street_b], 2026)
    assert settled[tree.street_a.pk].rate == Decimal(2) / 4
    assert settled[tree.street_b.pk].detail == "调解成功 1 / 受理 3 件"
    in_time = disputes_in_time([tree.street_a, tree.street_b], 2026)
    assert in_time[tree.street_a.pk].rate == Decimal(3) / 4  # A3 overdue
    assert in_time[tree.street_b.pk].rate == 1  # C0 was received last year
    assert figures_for("lawgov.disputes_settled", [tree.community_b], 2025)[tree.community_b.pk].rate == 0


def test_the_dashboards_figures_by_level_and_median_days_hand_counted(law, cast, tree):
    """The registry's lawgov.disputes_received (by the level handling each case now) and lawgov.settle_days
    (the median of the days from receipt to settlement), for the subtree and per child, on the fixture plus
    one case received at the county's level in 育才社区 (open): 8 received in 2026 — community level A1, A3,
    A4, B1, B2, B3; street level A2 (escalated); county level the new one. Settled: A1 in 4 days, B1 in 6,
    A2 in 10."""
    from grassroots.figures import compute, registry
    from grassroots.lawgov.models_disputes import DisputeLevel

    case = disputes.file_dispute(
        actor=cast.city,
        area=tree.community_b,
        title="征地补偿",
        category="land_housing",
        description="经过。",
        channel="station",
        level=DisputeLevel.COUNTY,
        parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    )
    assert case.level == DisputeLevel.COUNTY
    today = date(2026, 3, 20)
    received = registry.get("lawgov.disputes_received")
    days = registry.get("lawgov.settle_days")

    def by_level(line):
        return {level: line.counts[f"level_{level.value}"] for level in DisputeLevel}

    county = compute.breakdown(received, tree.county, 2026, today)
    assert county.total.value == 8
    assert by_level(county.total) == {
        DisputeLevel.COMMUNITY: 6,
        DisputeLevel.STREET: 1,
        DisputeLevel.COUNTY: 1,
    }
    children = {line.area: line for line in county.children}
    assert children[tree.street_a].value == 4
    assert by_level(children[tree.street_a]) == {
        DisputeLevel.COMMUNITY: 3,
        DisputeLevel.STREET: 1,
        DisputeLevel.COUNTY: 0,
    }
    assert children[tree.street_b].value == 4
    assert by_level(children[tree.street_b]) == {
        DisputeLevel.COMMUNITY: 3,
        DisputeLevel.STREET: 0,
        DisputeLevel.COUNTY: 1,
    }
    assert county.own is None
    # the levels add up to the cases received, on every line
    for line in (county.total, *county.children):
        assert sum(by_level(line).values()) == line.value
    # the trend: all received in March (C0 was received in December 2025)
    trend = compute.monthly(received, tree.county, 2026, today)
    assert [row["value"] for row in trend] == [0, 0, 8]

    median = compute.breakdown(days, tree.county, 2026, today)
    assert median.total.value == Decimal("6.0")  # 4, 6, 10
    # the ones behind first (the longest): 青江 (4 and 10 → 7), then 东城 (6 alone)
    assert [(line.area, line.value) for line in median.children] == [
        (tree.street_a, Decimal("7.0")),
        (tree.street_b, Decimal("6.0")),
    ]
    assert compute.totals([days], tree.street_a, 2026, today)["lawgov.settle_days"].value == Decimal("7.0")
    street_a = compute.breakdown(days, tree.street_a, 2026, today)
    assert [(line.area, line.value) for line in street_a.children] == [(tree.community_a, Decimal("7.0"))]
    assert compute.monthly(days, tree.county, 2026, today)[2]["value"] == Decimal("6.0")
    # no case settled in the year: no median (not 0)
    assert compute.totals([days], tree.county, 2025, today)["lawgov.settle_days"].value is None


def _page(client, area, year=2026):
    return client.get(reverse("lawgov:figures"), {"area": area.pk, "year": year})


def test_the_page_scope_owner_member_outsider(law, client_for, cast, tree):
    owner = client_for(cast.city)
    response = _page(owner, tree.county)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="received">7<' in html and 'data-figure="median">6<' in html
    assert html.index("东城街道") < html.index(f'?area={tree.street_a.pk}&amp;year=2026">青江街道')
    # a click on a child opens the same page for it
    child = _page(owner, tree.street_a)
    assert child.status_code == 200 and child.context["figures"].total.received == 4
    member = client_for(cast.worker)
    assert member.get(reverse("lawgov:figures")).context["area"] == tree.community_a
    assert _page(member, tree.community_a).context["figures"].total.received == 4
    assert _page(member, tree.street_a).status_code == 404  # above their scope
    outsider = client_for(cast.street_b)
    assert _page(outsider, tree.street_b).context["figures"].total.received == 3
    for area in (tree.street_a, tree.community_a, tree.county):
        assert _page(outsider, area).status_code == 404
    assert client_for(cast.resident).get(reverse("lawgov:figures")).status_code == 403


def test_the_page_query_count_does_not_grow_with_rows(
    law, client_for, cast, tree, django_assert_max_num_queries
):
    client = client_for(cast.city)
    for more in (2, 12):
        for i in range(more):
            community = make_area(f"新社区{more}-{i}", Level.COMMUNITY, tree.street_b)
            _file(cast.street_b, community, f"纠纷{more}-{i}", "other")
            _file(cast.street_b, community, f"纠纷{more}-{i}b", "family")
        for area in (tree.county, tree.street_b):
            with django_assert_max_num_queries(14, info=f"{more} more"):
                response = _page(client, area)
            assert response.status_code == 200
    assert len(_page(client, tree.street_b).context["figures"].children) == 15


def test_home_blocks_each_role_when_it_can_act(law, client_for, cast, tree, mediators):
    caseload = _block(open_home(client_for(mediators.community)), "lawgov_caseload")
    assert caseload["counts"] == {"open": 1, "overdue": 1, "to_visit": 1}  # A3; A1 awaits its visit
    assert [s.dispute_id for s in caseload["sessions"]] == [law.a3.pk]
    # the other street's mediator: the cases of its communities' committees (B2, B3, C0), nothing of street A
    other = _block(open_home(client_for(mediators.other_street)), "lawgov_caseload")
    assert other["counts"] == {"open": 3, "overdue": 1, "to_visit": 1}
    assert law.a3.pk not in {d.pk for d in other["cases"]} and other["sessions"] == []

    alerts = _block(open_home(client_for(cast.street_a)), "lawgov_alerts")
    assert alerts["counts"] == {"at_risk": 1, "overdue": 1} and [d.pk for d in alerts["cases"]] == [law.a3.pk]
    alerts_b = _block(open_home(client_for(cast.street_b)), "lawgov_alerts")
    assert [d.pk for d in alerts_b["cases"]] == [law.c0.pk]

    legal = make_user("legal_a", Role.LEGAL_WORKER, tree.community_a)
    station = _block(open_home(client_for(legal)), "lawgov_station")
    assert station["stations"] == [law.station]
    assert [(o.starts_at.date(), o.booked) for o in station["occurrences"]][:1] == [(date(2026, 4, 7), 1)]
    grid = make_user("grid_a", Role.GRID_WORKER, tree.grid_a)
    grid_home = open_home(client_for(grid))
    assert _block(grid_home, "lawgov_station") is None and _block(grid_home, "lawgov_caseload") is None

    mine = _block(open_home(client_for(cast.resident)), "lawgov_mine")
    assert [d.title for d in mine["cases"]] == ["楼上漏水"]
    assert [p.gathering.starts_at.date() for p in mine["bookings"]] == [date(2026, 4, 7)]
    neighbour = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    assert _block(open_home(client_for(neighbour)), "lawgov_mine") is None
    # nothing at risk or overdue: no alert block
    Dispute.objects.filter(pk__in=[law.a3.pk, law.c0.pk]).update(at_risk=False, due_on=date(2026, 12, 1))
    assert _block(open_home(client_for(cast.street_a)), "lawgov_alerts") is None


def test_a_case_received_at_the_street_is_no_escalation(cast, tree, mediators, today):
    """Escalations count from the level that received the case: received at the street, none; moved on
    to the county, one (Σ start level − level now, additive per child)."""
    received = disputes.file_dispute(
        actor=cast.street_a,
        area=tree.grid_a,
        title="征地补偿",
        category="land_housing",
        description="经过。",
        channel="grid",
        level=3,
        parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    )
    _file(cast.worker, tree.grid_a, "楼上漏水", "neighbours")  # at the community, not moved
    figures = subtree_figures(tree.county, today.year)
    assert (received.start_level, received.level, received.handler) == (3, 3, tree.street_a)
    assert figures.total.escalations == 0
    assert dict(figures.total.by_level) == {"社区级": 1, "街道（乡镇）级": 1, "县（区）级": 0}
    disputes.escalate(actor=mediators.street, dispute=received, reason="街道调解未果")
    figures = subtree_figures(tree.county, today.year)
    assert figures.total.escalations == 1
    assert [line.escalations for line in figures.children if line.area == tree.street_a] == [1]


def test_the_figures_export_the_pages_lines_of_street_a(law, client_for, cast, tree):
    from tests.imports.helpers import read_xlsx

    client = client_for(cast.street_a)
    assert 'data-export="lawgov-figures"' in _page(client, tree.street_a).content.decode()
    export = reverse("imports:list_export", args=["lawgov-figures"])
    response = client.post(export + f"?area={tree.street_a.pk}&year=2026")
    rows = read_xlsx(b"".join(response.streaming_content))["法治数据"]
    assert rows[0][:4] == ["区域", "受理", "调解成功率（%）", "用时中位数（天）"]
    assert ("桥楼社区", 4) in [(r[0], r[1]) for r in rows[1:]]
    assert not any("东城" in r[0] or "育才" in r[0] for r in rows[1:])
    assert client.post(export + f"?area={tree.street_b.pk}&year=2026").status_code == 404
