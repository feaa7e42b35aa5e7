"""Compliance figures kept in the cache (grassroots.core.orglife.kept): after every kind of write of what they
are computed from — through a service, a queryset's update, a delete, a move in the area tree — and when the
day or the period rolls over, the kept figures are the figures computed afresh."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.areas.models import PartyOrg
from grassroots.areas.services.areas import move_area
from grassroots.areas.services.party_orgs import retire_party_org
from grassroots.areas.subtree import under_q
from grassroots.core.orglife import kept
from grassroots.core.orglife.models import OrgLifeReport, ReportState
from grassroots.core.orglife.periods import MONTH, QUARTER, Period
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.services.reports import accept_report
from tests.factories import make_area, make_party_org
from tests.orglife.conftest import backdate
from tests.orglife.test_compliance import GRP, C, G, accepted

TODAY = date(2025, 5, 20)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _sums(rollup):
    lines = [rollup, *rollup.children]
    return [(r.area and r.area.pk, r.branches, r.judged, r.compliant, r.required, r.met) for r in lines]


def computed(area, period, today):
    """The figures, the page's roll-up, the roll-up and `per_area`, computed without the cache."""
    with override_settings(ORGLIFE_COMPLIANCE_CACHE_SECONDS=0):
        return _all(area, period, today)


def _all(area, period, today):
    rows = compliance.figures(compliance.branches().filter(under_q(area.path)), period, today)
    return (
        [tuple(row) for row in rows],
        _sums(compliance.rollup_of(area, rows)),
        _sums(compliance.rollup(area, period, today)),
        _sums(compliance.per_area([area], period, today)[area.pk]),
    )


def kept_equals_computed(area, period, today=TODAY):
    """Read twice through the cache (the second time kept: the version's one query and no other), and
    compare with the figures computed afresh; returns them."""
    _all(area, period, today)
    scope = compliance.branches().filter(under_q(area.path))
    with override_settings(DEBUG=True):
        from django.db import connection, reset_queries

        reset_queries()
        rows = compliance.figures(scope, period, today)
        assert len(connection.queries) == 1  # the version of the data: the figures are kept
    assert rows.key is not None
    found = _all(area, period, today)
    assert found == computed(area, period, today)
    return found


@pytest.mark.django_db
def test_the_kept_figures_follow_every_write(tree, orgs, cast):
    county, period = tree.county, Period.parse("2025-Q2")
    seen = [kept_equals_computed(county, period)]

    def changed():
        seen.append(kept_equals_computed(county, period))
        assert seen[-1] != seen[-2]  # the write changed the figures, and the kept ones followed

    # a report accepted through the service
    report = accepted(orgs.branch, G, date(2025, 4, 3), state=ReportState.SUBMITTED)
    accept_report(actor=cast.street_a, report=report)
    changed()
    # its state changed by a queryset's update (no signal, no save), and back, then deleted
    OrgLifeReport.objects.filter(pk=report.pk).update(state=ReportState.RETURNED)
    changed()
    OrgLifeReport.objects.filter(pk=report.pk).update(state=ReportState.ACCEPTED)
    changed()
    OrgLifeReport.objects.filter(pk=report.pk).delete()
    changed()
    # a new branch, then its creation date moved back (the demo's way: an update)
    grid2 = make_area("第二网格", 5, tree.community_a)
    late = make_party_org("第二网格党支部", grid2, parent=orgs.community_org)
    changed()
    backdate(late, date(2020, 1, 1))
    changed()
    # the branch's only Party group retired, then a new one
    accepted(orgs.branch, GRP, date(2025, 4, 12))
    changed()
    PartyOrg.objects.filter(pk=orgs.group.pk).update(retired=True)
    changed()
    make_party_org("第二党小组", tree.grid_a, kind="group", parent=orgs.branch)
    changed()
    # a branch inserted by a bulk load that ignores conflicts (SQLite: `INSERT OR IGNORE`, whose conflict
    # clause SQLite applies inside the trigger too)
    bulk = PartyOrg(name="批量党支部", area=grid2, kind="branch", parent=orgs.community_org)
    PartyOrg.objects.bulk_create([bulk], ignore_conflicts=True)
    changed()
    # renamed; retired through the service
    PartyOrg.objects.filter(pk=late.pk).update(name="更名后的党支部")
    changed()
    retire_party_org(org=late, actor=cast.admin)
    changed()
    # the area tree: a community moved to the other street (its subtree's paths rewritten by the tree)
    move_area(area=tree.community_a, new_parent=tree.street_b, actor=cast.admin)
    changed()


@pytest.mark.django_db
def test_the_day_and_the_period_roll_over(tree, orgs):
    county = tree.county
    accepted(orgs.branch, C, date(2025, 4, 10))
    # The last evening of June and the first morning of July, the date read from the clock (the page's way):
    # June's committee meeting, current and not held, is not judged on the 30th and missed on the 1st.
    year = Period.parse("2025")
    with time_machine.travel(datetime(2025, 6, 30, 23, 50, tzinfo=SHANGHAI), tick=False):
        june = kept_equals_computed(county, year, today=None)
        quarter = Period.of(QUARTER, timezone.localdate())
    with time_machine.travel(datetime(2025, 7, 1, 0, 10, tzinfo=SHANGHAI), tick=False):
        july = kept_equals_computed(county, year, today=None)
        assert Period.of(QUARTER, timezone.localdate()) != quarter  # the default period rolls over
        kept_equals_computed(county, Period.of(QUARTER, timezone.localdate()), today=None)
        kept_equals_computed(county, Period.of(MONTH, timezone.localdate()), today=None)
    assert june != july
    (row,) = [r for r in july[0] if r[4] == orgs.branch.pk]
    (before,) = [r for r in june[0] if r[4] == orgs.branch.pk]
    assert row[5] > before[5]  # one more required slot: June ended without its meeting


@pytest.mark.django_db
def test_figures_computed_in_a_rolled_back_transaction_are_never_read(tree, orgs):
    county, period = tree.county, Period.parse("2025-Q2")
    before = kept_equals_computed(county, period)
    with pytest.raises(RuntimeError), transaction.atomic():
        accepted(orgs.branch, G, date(2025, 4, 3))
        assert kept_equals_computed(county, period) != before  # kept inside, under the write's version
        raise RuntimeError
    assert kept_equals_computed(county, period) == before
    # a later write gets a version of its own, never the rolled-back one's
    accepted(orgs.branch_b, G, date(2025, 4, 4))
    kept_equals_computed(county, period)


@pytest.mark.django_db
def test_nothing_is_kept_without_the_version_row(tree, orgs):
    from grassroots.core.orglife.models import ComplianceVersion

    ComplianceVersion.objects.all().delete()
    assert kept.key("default", "anything") is None
    rows = compliance.figures(compliance.branches(), Period.parse("2025-Q2"), TODAY)
    assert rows.key is None
    accepted(orgs.branch, G, date(2025, 4, 3))  # a write creates the row again
    assert kept.key("default", "anything") is not None
