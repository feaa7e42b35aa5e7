"""The demo's year of organizational life: most judged branches compliant, some behind, forms waiting for
the demo secretary; loading twice adds nothing."""

import pytest

from grassroots.accounts.models import User
from grassroots.areas.models import Area
from grassroots.core.orglife.models import Appraisal, OrgLifePlan, OrgLifeReport, PlanState, ReportState
from grassroots.core.orglife.periods import QUARTER, YEAR, Period
from grassroots.core.orglife.selectors import compliance
from grassroots.core.orglife.selectors.forms import worklist
from tests.demo.seeding import seed_only

STEPS = {"areas", "party_orgs", "users", "residents", "members", "orglife"}


def seed(steps):
    seed_only(steps)


@pytest.mark.django_db
def test_a_year_of_organizational_life(today):
    """This year's figures have something met (on 1 January nothing is yet: the clock is pinned in May)."""
    seed(STEPS)
    city = Area.objects.get(code="511800")
    result = compliance.rollup(city, Period.of(QUARTER, today).previous(), today)
    assert result.judged >= 30
    assert 0.6 * result.judged <= result.compliant < result.judged  # most compliant, some behind
    year = compliance.rollup(city, Period.of(YEAR, today), today)
    assert year.met > 0 and year.required >= year.met
    assert OrgLifePlan.objects.filter(state=PlanState.FILED).count() == 1
    assert OrgLifeReport.objects.filter(state=ReportState.SUBMITTED).count() == 1
    assert OrgLifeReport.objects.filter(state=ReportState.RETURNED).count() == 1
    assert Appraisal.objects.exists()
    reports = OrgLifeReport.objects.count()

    # They wait for the demo secretary, the secretary of the organization above the demo grid branches.
    work = worklist(User.objects.get(username="secretary"))
    assert work["plans"].count() == 1 and work["reports"].count() == 1

    seed(STEPS)  # idempotent
    assert OrgLifeReport.objects.count() == reports
