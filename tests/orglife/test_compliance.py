"""三会一课 compliance: the slots of each rule in a period, judged on accepted reports; quarter boundaries, a
branch created mid-quarter, the current period, groups, settings; roll-ups per subtree, behind first."""

from datetime import date

import pytest
from django.core.cache import cache

from grassroots.accounts.models import User
from grassroots.areas.subtree import under_q
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport, ReportState
from grassroots.core.orglife.periods import Period
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.services import bridge
from tests.factories import make_area, make_party_org
from tests.orglife.conftest import at, backdate

TODAY = date(2025, 5, 20)  # Q2 2025 is the current quarter, May the current month
G, C, L, GRP, R = (
    kinds.GENERAL_MEETING,
    kinds.COMMITTEE_MEETING,
    kinds.PARTY_LESSON,
    kinds.GROUP_MEETING,
    kinds.REVIEW_MEETING,
)


def accepted(branch, kind, day, state=ReportState.ACCEPTED):
    """A report in `state` (accepted by default) of a gathering of `kind` held on `day`."""
    someone = branch.secretary or User.objects.order_by("pk").first()
    gathering = bridge.create_branch_gathering(
        branch=branch,
        kind=kind,
        title=kinds.label(kind),
        starts_at=at(day),
        ends_at=at(day, 11),
        organizer=someone,
    )
    return OrgLifeReport.objects.create(
        branch=branch, gathering=gathering, kind=kind, held_on=day, state=state, created_by=someone
    )


def figures(branch, period, today=TODAY):
    (row,) = compliance.figures(compliance.branches().filter(pk=branch.pk), Period.parse(period), today)
    cells = row.row[3:]  # met and required per rule, alternately
    per_rule = {rule.kind: (cells[2 * i], cells[2 * i + 1]) for i, rule in enumerate(compliance.rules())}
    slots = compliance.branch_slots(branch, Period.parse(period), today)
    from_slots = {
        rule.kind: (sum(s.met for s in rule_slots), sum(s.judged for s in rule_slots))
        for rule, rule_slots in slots
    }
    # The page of one branch and the aggregate query agree.
    assert {k: v for k, v in per_rule.items() if v != (0, 0)} == {
        k: v for k, v in from_slots.items() if v != (0, 0)
    }
    return per_rule, (row.met, row.required)


def test_a_full_quarter_met_and_the_quarter_boundary(orgs):
    b = orgs.branch
    accepted(b, G, date(2025, 3, 31))  # the last day of Q1 counts for Q1 …
    accepted(b, L, date(2025, 1, 2))
    for month in (1, 2, 3):
        accepted(b, C, date(2025, month, 10))
        accepted(b, GRP, date(2025, month, 12))
    per_rule, totals = figures(b, "2025-Q1")
    assert (
        per_rule[G] == (1, 1) and per_rule[L] == (1, 1) and per_rule[C] == (3, 3) and per_rule[GRP] == (3, 3)
    )
    assert per_rule[R] == (0, 0)  # a yearly rule is not judged in a quarter
    assert totals == (8, 8)
    # … and not for Q2: Q2 is current and not yet met, so not counted either way.
    accepted(b, G, date(2025, 4, 1))  # the first day of Q2 counts for Q2 (current, already met)
    per_rule, _totals = figures(b, "2025-Q2")
    assert per_rule[G] == (1, 1)
    assert per_rule[C] == (0, 1)  # April ended without one; May is current and open: not counted
    assert per_rule[L] == (0, 0)  # Q2 current, not yet met


def test_two_meetings_in_one_month_count_once_and_only_accepted_reports_count(orgs):
    b = orgs.branch
    accepted(b, C, date(2025, 1, 5))
    accepted(b, C, date(2025, 1, 25))
    accepted(b, C, date(2025, 2, 5), state=ReportState.SUBMITTED)
    accepted(b, C, date(2025, 3, 5), state=ReportState.RETURNED)
    per_rule, _ = figures(b, "2025-Q1")
    assert per_rule[C] == (1, 3)


def test_a_branch_created_mid_quarter_is_judged_only_on_whole_periods(orgs):
    b = orgs.branch
    backdate(b, date(2025, 2, 15))
    accepted(b, C, date(2025, 2, 20))  # in February, which it did not exist for in full: not judged
    accepted(b, C, date(2025, 3, 20))
    accepted(b, G, date(2025, 3, 25))  # Q1 is not judged at all
    per_rule, totals = figures(b, "2025-Q1")
    assert per_rule[C] == (1, 1) and per_rule[G] == (0, 0) and per_rule[L] == (0, 0)
    assert totals == (1, 2)  # March committee and group meeting judged; only the committee meeting held
    per_rule, totals = figures(b, "2025")
    assert per_rule[C] == (1, 2)  # March met, April missed; May current and open
    assert per_rule[G] == (0, 0)  # Q1 not judged, Q2 current and not yet met
    assert per_rule[R] == (0, 0)  # the year is not over


def test_created_on_the_first_day_of_a_period_is_judged_on_it(orgs):
    b = orgs.branch
    backdate(b, date(2025, 1, 1))
    per_rule, _ = figures(b, "2025-Q1")
    assert per_rule[G] == (0, 1) and per_rule[C] == (0, 3)


def test_a_whole_year_including_the_annual_meeting(orgs):
    b = orgs.branch
    for quarter_start in (1, 4, 7, 10):
        accepted(b, G, date(2024, quarter_start, 15))
        accepted(b, L, date(2024, quarter_start, 16))
    for month in range(1, 13):
        accepted(b, C, date(2024, month, 3))
        if month != 6:
            accepted(b, GRP, date(2024, month, 4))
    accepted(b, R, date(2024, 12, 28))
    per_rule, totals = figures(b, "2024")
    assert per_rule == {G: (4, 4), C: (12, 12), GRP: (11, 12), L: (4, 4), R: (1, 1)}
    assert totals == (32, 33)


def test_group_meetings_are_required_only_of_branches_with_groups(orgs):
    orgs.group.retired = True
    orgs.group.save()
    per_rule, _ = figures(orgs.branch, "2025-Q1")
    assert per_rule[GRP] == (0, 0)


def test_the_rules_are_settings(orgs, settings):
    settings.ORGLIFE_FREQUENCY = {kinds.THEME_DAY: "month"}
    accepted(orgs.branch, kinds.THEME_DAY, date(2025, 1, 10))
    per_rule, totals = figures(orgs.branch, "2025-Q1")
    assert per_rule == {kinds.THEME_DAY: (1, 3)} and totals == (1, 3)


def test_rollup_per_subtree_and_behind_first(tree, orgs, django_assert_max_num_queries):
    # A second branch in another grid of the same community, fully compliant in Q1; the fixture's is not.
    grid2 = make_area("第二网格", 5, tree.community_a)
    good = make_party_org("第二网格党支部", grid2, parent=orgs.community_org)
    backdate(good, date(2020, 1, 1))
    accepted(good, G, date(2025, 2, 1))
    accepted(good, L, date(2025, 2, 2))
    for month in (1, 2, 3):
        accepted(good, C, date(2025, month, 10))
    accepted(orgs.branch, C, date(2025, 1, 10))
    period = Period.parse("2025-Q1")
    # the version of the data (the cache key: grassroots.core.orglife.kept); the branches' figures, grouped by
    # branch (not kept yet)
    with django_assert_max_num_queries(2):
        table = compliance.figures(compliance.branches().filter(under_q(tree.street_a.path)), period, TODAY)
    assert [b.name for b in table] == [orgs.branch.name, good.name]  # behind first
    assert [(b.met, b.required, b.shortfall) for b in table] == [(1, 8, 7), (5, 5, 0)]
    with django_assert_max_num_queries(1):  # the page's branches, areas and secretaries joined
        page = compliance.with_branches(table)
    assert page == [orgs.branch, good] and page[0].shortfall == 7 and page[0].area == orgs.branch.area

    # the version of the data; the branches' figures summed per child; the children
    with django_assert_max_num_queries(3):
        result = compliance.rollup(tree.county, period, TODAY)
    assert (result.branches, result.judged, result.compliant, result.required, result.met) == (3, 3, 1, 18, 6)
    by_name = {child.area.name: child for child in result.children}
    assert by_name["青江街道"].compliant == 1 and by_name["青江街道"].behind == 1
    assert by_name["东城街道"].behind == 1 and by_name["东城街道"].rate == 0
    assert result.children[0].behind >= result.children[-1].behind
    assert result.rate == pytest.approx(33.3)

    areas = compliance.per_area([tree.street_a, tree.street_b], period, TODAY)
    assert areas[tree.street_a.pk].compliant == 1 and areas[tree.street_b.pk].judged == 1


def test_the_compliance_table_costs_the_same_for_3_or_30_branches(
    tree, orgs, cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.street_a)

    def add(n):
        for i in range(n):
            grid = make_area(f"网格{i}", 5, tree.community_a)
            branch = make_party_org(f"网格{i}党支部", grid, parent=orgs.community_org)
            accepted(branch, C, date(2025, 1, 10))

    add(2)
    client.get("/orglife/?period=2025-Q1")  # warm the session
    # session, user, grants, the default area (the first of the scope), organizations led (the scoping
    # function); the version of the data (the cache key: grassroots.core.orglife.kept), the branches' figures
    # (one aggregate, grouped by branch: the table's rows, their order and the roll-up; none when kept), the
    # page's branches (area and secretary joined), the children of the roll-up (none when kept); the
    # header's unread badge: 10, for 3 branches or 30 (27 added: the figures are computed again).
    cache.clear()  # computed, not kept: the warm-up kept the figures
    with django_assert_max_num_queries(10) as few:
        assert client.get("/orglife/?period=2025-Q1").status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/orglife/?period=2025-Q1")
    assert response.status_code == 200 and "网格26党支部" in response.content.decode()


def test_the_headline_gives_the_rate_its_denominator_and_the_share_not_assessed(
    tree, orgs, cast, client_for, django_assert_max_num_queries
):
    grid2 = make_area("第二网格", 5, tree.community_a)
    good = make_party_org("第二网格党支部", grid2, parent=orgs.community_org)
    backdate(good, date(2020, 1, 1))
    for kind, day in ((G, date(2025, 2, 1)), (L, date(2025, 2, 2))):
        accepted(good, kind, day)
    for month in (1, 2, 3):
        accepted(good, C, date(2025, month, 10))
    # created after the quarter: not assessed on it
    make_party_org("第三网格党支部", make_area("第三网格", 5, tree.community_a), parent=orgs.community_org)
    client = client_for(cast.street_a)
    url = f"/orglife/?period=2025-Q1&area={tree.street_a.pk}"
    client.get(url)  # warm the session
    cache.clear()  # computed, not kept: the warm-up kept the figures
    with django_assert_max_num_queries(10) as few:  # as the table's pin above, whatever the children
        response = client.get(url)
    rollup = response.context["rollup"]
    assert (rollup.branches, rollup.judged, rollup.compliant, rollup.not_judged) == (3, 2, 1, 1)
    html = response.content.decode()
    assert "2 个参与考核的支部中 1 个达标（达标率 50.0%）；另有 1 个支部（33.3%）本期尚未参与考核。" in html
    assert '<script id="compliance-data" type="application/json">' in html
    chart = response.context["chart"]
    assert [bar["name"] for bar in chart["bars"]] == ["达标", "未达标", "未参与考核"]
    line = chart["labels"].index(tree.community_a.name)
    assert [bar["values"][line] for bar in chart["bars"]] == [1, 1, 1]

    # More child areas, each with a branch: the same queries (one aggregate grouped by branch, summed per
    # child in Python; the children in one query).
    for i in range(4):
        community = make_area(f"新社区{i}", 4, tree.street_a)
        branch = make_party_org(f"新社区{i}党支部", community, parent=orgs.community_org)
        backdate(branch, date(2020, 1, 1))
        accepted(branch, C, date(2025, 1, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rollup"].children) >= 5 and response.context["rollup"].branches == 7


def test_the_assessments_figure(tree, orgs):
    from grassroots.core.assessments.figures import get_provider

    accepted(orgs.branch, C, date(2024, 1, 10))
    provider = get_provider("orglife.compliance")
    assert provider is not None
    figures = provider.func([tree.street_a, tree.street_b], 2024)
    assert 0 < figures[tree.street_a.pk].rate < 0.1 and "已开 1 次" in figures[tree.street_a.pk].detail
    assert figures[tree.street_b.pk].rate == 0


def _one_by_one(branch, period) -> tuple[int, int]:
    """(required, met) of one branch from its page's slots (`branch_slots`, computed in Python)."""
    slots = [s for _rule, rule_slots in compliance.branch_slots(branch, period, TODAY) for s in rule_slots]
    return sum(s.judged for s in slots), sum(s.met for s in slots)


def _summed(branches, period) -> dict:
    figures = [_one_by_one(b, period) for b in branches]
    return {
        "branches": len(figures),
        "judged": sum(1 for req, _met in figures if req),
        "compliant": sum(1 for req, met in figures if req and req == met),
        "required": sum(req for req, _met in figures),
        "met": sum(met for _req, met in figures),
    }


def _as_dict(rollup) -> dict:
    return {k: getattr(rollup, k) for k in ("branches", "judged", "compliant", "required", "met")}


def test_the_rollup_equals_the_branches_counted_one_by_one(tree, orgs, django_assert_max_num_queries):
    """The roll-up's lines and total against each branch's own slots, summed in Python: a branch on the
    county itself (its own line), branches created before, inside and after the periods, a branch without
    groups, one without any report."""
    grid2 = make_area("第二网格", 5, tree.community_a)
    good = make_party_org("第二网格党支部", grid2, parent=orgs.community_org)
    own = make_party_org("雨城区机关党支部", tree.county)
    late = make_party_org("新建党支部", tree.community_b)
    backdate(good, date(2020, 1, 1))
    backdate(own, date(2025, 2, 15))
    backdate(late, date(2025, 4, 1))
    for month in (1, 2, 3, 4, 5):
        accepted(good, C, date(2025, month, 10))
        accepted(own, C, date(2025, month, 11))
    accepted(good, G, date(2025, 2, 1))
    accepted(good, L, date(2025, 5, 2))
    accepted(orgs.branch, GRP, date(2025, 1, 12))
    accepted(late, C, date(2025, 5, 3))
    accepted(orgs.branch_b, G, date(2025, 4, 3))
    lines = {
        None: [own],
        tree.street_a.pk: [orgs.branch, good],
        tree.street_b.pk: [orgs.branch_b, late],
    }
    for key in ("2025-Q1", "2025-Q2", "2025-05", "2025-04", "2025", "2024"):
        period = Period.parse(key)
        # the version of the data; the branches' figures summed per child; the children
        with django_assert_max_num_queries(3):
            result = compliance.rollup(tree.county, period, TODAY)
        by_line = {(child.area.pk if child.area else None): _as_dict(child) for child in result.children}
        assert by_line == {line: _summed(members, period) for line, members in lines.items()}, key
        assert _as_dict(result) == _summed([b for members in lines.values() for b in members], period), key
        rows = compliance.figures(compliance.branches().filter(under_q(tree.county.path)), period, TODAY)
        page_rollup = compliance.rollup_of(tree.county, rows)  # the page's: the same figures, in Python
        assert _as_dict(page_rollup) == _as_dict(result), key
        assert [_as_dict(c) for c in page_rollup.children] == [_as_dict(c) for c in result.children], key
        areas = compliance.per_area([tree.county, tree.street_a, tree.street_b, grid2], period, TODAY)
        assert _as_dict(areas[tree.county.pk]) == _as_dict(result)
        assert _as_dict(areas[tree.street_b.pk]) == by_line[tree.street_b.pk]
        assert _as_dict(areas[grid2.pk]) == _summed([good], period)
