"""The organizational-life lists' FilterSets (orglife/filters.py): a branch's page lists the plans, reports
and appraisals of a year that /api/orglife-plans/, /api/orglife-reports/ and /api/appraisals/ give for
?branch=&year=; years and ids are bounded (400, not 500)."""

from datetime import date, timedelta

import pytest

from grassroots.core.orglife import kinds
from grassroots.core.orglife.services import appraisal as appraisal_services
from grassroots.core.orglife.services import plans as plan_services
from grassroots.core.orglife.services import reports as services
from tests.orglife.conftest import at
from tests.orglife.test_pages_and_api import held, submitted_report


@pytest.fixture
def forms(orgs, members, cast, today):
    """This year: a plan, a report, a review meeting's report with an appraisal; last year: a report."""
    day = today + timedelta(days=40)
    plan = plan_services.create_plan(
        actor=orgs.branch_sec,
        branch=orgs.branch,
        period_unit="month",
        period_start=day,
        items=[plan_services.PlanItem(kinds.PARTY_LESSON, "党课", at(day), at(day, 11))],
    )
    plan_services.file_plan(actor=orgs.branch_sec, plan=plan)
    plan_services.decide_plan(actor=cast.street_a, plan=plan, decision="return", required_changes="补充主题")
    appraisal_services.create_study_plan(
        actor=orgs.branch_sec, branch=orgs.branch, year=today.year, title="学习计划"
    )
    submitted_report(orgs, members.alice)
    review = services.start_report(
        actor=orgs.branch_sec,
        gathering=held(orgs.branch, orgs.branch_sec, kind=kinds.REVIEW_MEETING, title="组织生活会"),
    )
    appraisal_services.record_appraisals(
        actor=orgs.branch_sec, report=review, grades={members.alice: "qualified"}
    )
    last_year = date(today.year - 1, 11, 3)
    submitted_report(orgs, members.bob, gathering=held(orgs.branch, orgs.branch_sec, day=last_year))
    return today.year


@pytest.mark.parametrize("back", [0, 1])
def test_the_branch_page_lists_what_the_api_filters(forms, orgs, cast, client_for, back):
    year = forms - back
    client = client_for(cast.street_a)
    page = client.get(f"/orglife/branches/{orgs.branch.pk}/?period={year}")
    assert page.status_code == 200
    query = f"?branch={orgs.branch.pk}&year={year}"
    for name, url in (
        ("plans", "/api/orglife-plans/"),
        ("reports", "/api/orglife-reports/"),
        ("appraisals", "/api/appraisals/"),
    ):
        rows = {row["id"] for row in client.get(url + query).json()["results"]}
        assert {r.pk for r in page.context[name]} == rows, name
    assert len(page.context["reports"]) == (2 if back == 0 else 1)
    # the plans' guidance (/api/orglife-guidance/?branch=, in its order) and the year's study plan
    guidance = client.get(f"/api/orglife-guidance/?branch={orgs.branch.pk}").json()["results"]
    plans = {p.pk for p in page.context["plans"]}
    shown = [g.pk for p in page.context["plans"] for g in p.guidance.all()]
    assert shown == [row["id"] for row in guidance if row["plan"] in plans]
    study = client.get(f"/api/study-plans/{query}").json()["results"]
    plan = page.context["study_plan"]
    assert [row["id"] for row in study] == ([plan.pk] if plan else []) and len(study) == 1 - back


@pytest.mark.parametrize(
    "url",
    [
        "/api/orglife-plans/",
        "/api/orglife-reports/",
        "/api/appraisals/",
        "/api/study-plans/",
    ],
)
def test_years_and_ids_are_bounded(orgs, cast, client_for, url):
    client = client_for(cast.street_a)
    for query in ("year=0", "year=10000", "year=2025.5", "branch=0", "branch=9223372036854775808"):
        assert client.get(f"{url}?{query}").status_code == 400, query
