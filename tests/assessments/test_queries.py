"""The list pages and API lists make the same number of queries for 3 rows as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


URLS = [
    "/assessments/reports/",
    "/assessments/reports/?state=submitted",
    "/assessments/reports/worklist/",
    "/assessments/inspections/",
    "/assessments/findings/",
    "/assessments/findings/?overdue=1",
    "/assessments/schemes/",
    "/assessments/schemes/{scheme}/",
    "/assessments/schemes/{scheme}/?order=rank",
    "/assessments/grid-extension/",
    "/assessments/agencies/",
    "/api/work-reports/",
    "/api/inspections/",
    "/api/findings/",
    "/api/assessments/",
    "/api/agency-reviews/",
    "/api/cadre-scores/",
]


def test_list_queries_do_not_grow_with_rows(filler, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.street_a)
    filler.add(3)
    urls = [url.format(scheme=filler.scheme.pk) for url in URLS]
    few = {url: count(client, url) for url in urls}
    filler.add(27)
    for url in urls:
        with django_assert_max_num_queries(few[url], info=url):
            response = client.get(url)
        assert response.status_code == 200
    # the rows are really there
    assert client.get("/api/work-reports/").json()["count"] == 30
    assert client.get("/api/agency-reviews/").json()["count"] == 30
    assert client.get("/api/cadre-scores/").json()["count"] == 31  # 30 grid workers + 杨帆
    assert Assessment.objects.filter(scheme=filler.scheme).count() == 31  # 30 grids + 第一网格
    # session, user, grants, (secretary orgs), count, page, its related rows, the shell's switcher…
    assert max(few.values()) <= 16, few


def test_assessment_detail_queries_do_not_grow_with_items(
    filler, cast, client_for, django_assert_max_num_queries
):
    filler.add(2)
    assessment = Assessment.objects.filter(scheme=filler.scheme).first()
    client = client_for(cast.street_a)
    few = count(client, assessment.get_absolute_url())
    for i in range(8):
        schemes.add_item(
            actor=cast.street_a, scheme=filler.scheme, name=f"项目{i}", weight=5, method=Method.MANUAL
        )
    schemes.compute_scheme(scheme=filler.scheme)
    with django_assert_max_num_queries(few):
        assert client.get(assessment.get_absolute_url()).status_code == 200
