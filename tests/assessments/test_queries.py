"""The list pages and API lists stay within a fixed number of queries, for 3 rows as for 30."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.models import RoleGrant
from grassroots.areas.models import Level, PartyOrg
from grassroots.core.assessments.models import Assessment, Method
from grassroots.core.assessments.services import cadres, inspections, reports, schemes
from grassroots.core.assessments.services import people as people_services
from grassroots.workflow.services import transition
from tests.assessments.conftest import add_children
from tests.factories import make_user

THIS_YEAR = timezone.localdate().year


class Filler:
    """Adds `n` more rows of every kind in 青江街道 (communities with their organizations, reports,
    inspections with findings, grid targets of a scheme, agencies with reviews, grid workers with ratings)."""

    def __init__(self, tree, cast, orgs, people):
        self.tree, self.cast, self.orgs, self.people = tree, cast, orgs, people
        self.scheme = schemes.create_scheme(
            actor=cast.street_a, area=tree.street_a, year=THIS_YEAR, level=Level.GRID
        )
        schemes.add_item(
            actor=cast.street_a,
            scheme=self.scheme,
            name="整改",
            weight=40,
            method=Method.COMPUTED,
            provider="assessments.rectification",
        )
        schemes.add_item(
            actor=cast.street_a, scheme=self.scheme, name="走访", weight=60, method=Method.MANUAL
        )
        self.count = 0

    def add(self, n):
        cast, tree = self.cast, self.tree
        communities = add_children(tree.street_a, n, Level.COMMUNITY, "社区")
        for community in communities:
            self.count += 1
            i = self.count
            org = PartyOrg.objects.create(
                name=f"{community.name}党总支",
                kind="general_branch",
                area=community,
                parent=self.orgs.street_a,
            )
            report = reports.create_report(actor=cast.street_a, party_org=org, year=THIS_YEAR, content="x")
            if i % 2:
                transition(report, "submit", actor=cast.street_a)
            inspection = inspections.create_inspection(
                actor=cast.street_a,
                area=community,
                title=f"督察{i}",
                inspected_on=timezone.localdate() - timedelta(days=10),
            )
            inspections.add_finding(
                actor=cast.street_a,
                inspection=inspection,
                description=f"问题{i}",
                owner=cast.street_a,
                deadline=timezone.localdate() + timedelta(days=i - 5),
            )
            (grid,) = add_children(community, 1, Level.GRID, "网格")
            worker = make_user(f"grid{i}", "grid_worker", grid, full_name=f"网格员{i}")
            RoleGrant.objects.create(user=worker, role="grid_worker", area=tree.grid_a)
            agency = people_services.create_agency(
                actor=cast.street_a, street=tree.street_a, name=f"派驻机构{i}", head=worker
            )
            people_services.review_agency_head(
                actor=cast.street_a, agency=agency, year=THIS_YEAR, score=80 + i % 10, comments="好"
            )
        schemes.compute_scheme(scheme=self.scheme)
        cadres.compute_cadre_scores(street=self.tree.street_a, year=THIS_YEAR)


@pytest.fixture
def filler(tree, cast, orgs, people):
    return Filler(tree, cast, orgs, people)


# Each list's fixed bound, for 3 rows and for 30: session, user, grants, (secretary orgs), count, the page,
# its related rows, the shell's switcher… Measured once (SQLite and PostgreSQL agree); a change that adds a
# query per row, or one more fixed query, fails here and is looked at.
PINS = {
    "/assessments/reports/": 7,
    "/assessments/reports/?state=submitted": 7,
    "/assessments/reports/worklist/": 9,
    "/assessments/inspections/": 7,
    "/assessments/findings/": 8,
    "/assessments/findings/?overdue=1": 8,
    "/assessments/schemes/": 7,
    # … and the item form's choice of standard items (one query, since standards landed), the results'
    # summary (targets, those with a total, their spread: one aggregate), and the chart of the whole listed
    # set, not the page (its rows and their item scores: two queries, whatever the rows)
    "/assessments/schemes/{scheme}/": 14,
    "/assessments/schemes/{scheme}/?order=rank": 14,
    "/assessments/grid-extension/": 9,
    "/assessments/agencies/": 6,
    "/api/work-reports/": 6,
    "/api/inspections/": 6,
    "/api/findings/": 6,
    "/api/assessments/": 8,
    "/api/agency-reviews/": 5,
    "/api/cadre-scores/": 6,
}
DETAIL_PIN = 9


def get_within(client, url, most, django_assert_max_num_queries):
    with django_assert_max_num_queries(most, info=url):
        response = client.get(url)
    assert response.status_code == 200, url


def test_list_queries_do_not_grow_with_rows(filler, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.street_a)
    for rows in (3, 27):  # 3 rows, then 30: the same bound
        filler.add(rows)
        for url, most in PINS.items():
            get_within(client, url.format(scheme=filler.scheme.pk), most, django_assert_max_num_queries)
    # the rows are really there
    assert client.get("/api/work-reports/").json()["count"] == 30
    assert client.get("/api/agency-reviews/").json()["count"] == 30
    assert client.get("/api/cadre-scores/").json()["count"] == 31  # 30 grid workers + 杨帆
    assert Assessment.objects.filter(scheme=filler.scheme).count() == 31  # 30 grids + 第一网格


def test_assessment_detail_queries_do_not_grow_with_items(
    filler, cast, client_for, django_assert_max_num_queries
):
    filler.add(2)
    assessment = Assessment.objects.filter(scheme=filler.scheme).first()
    client = client_for(cast.street_a)
    get_within(client, assessment.get_absolute_url(), DETAIL_PIN, django_assert_max_num_queries)
    for i in range(8):
        schemes.add_item(
            actor=cast.street_a, scheme=filler.scheme, name=f"项目{i}", weight=5, method=Method.MANUAL
        )
    schemes.compute_scheme(scheme=filler.scheme)
    get_within(client, assessment.get_absolute_url(), DETAIL_PIN, django_assert_max_num_queries)
