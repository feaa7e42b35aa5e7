"""The API: filters, pagination, the nested scores of assessments, scores of work reports hidden until
published."""

from decimal import Decimal

from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.assessments.models import Method
from grassroots.core.assessments.services import reports, schemes
from grassroots.workflow.services import transition
from tests.assessments.conftest import YEAR

THIS_YEAR = timezone.localdate().year


def test_work_reports_filters(report, orgs, cast, publish, api_for, tree):
    other = reports.create_report(actor=cast.street_a, party_org=orgs.grid_a, year=YEAR - 1, content="x")
    publish(report)
    api = api_for(cast.street_a)
    assert [r["id"] for r in api.get(f"/api/work-reports/?year={YEAR}").json()["results"]] == [report.pk]
    assert [r["id"] for r in api.get("/api/work-reports/?state=draft").json()["results"]] == [other.pk]
    assert api.get(f"/api/work-reports/?area={tree.grid_a.pk}").json()["count"] == 1
    data = api.get(f"/api/work-reports/{report.pk}/").json()
    assert (data["average_score"], data["grade"], data["state_label"]) == ("85.00", "fairly_good", "已公布")
    # paginated
    page = api.get("/api/work-reports/?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_findings_and_inspections_filters(add_finding, cast, api_for, inspection):
    mine = add_finding(description="我的问题")
    add_finding(description="已整改", owner=cast.worker)
    transition(mine, "report_rectified", actor=cast.secretary, comment="已整改")
    api = api_for(cast.street_a)
    assert [r["description"] for r in api.get("/api/findings/?state=rectified").json()["results"]] == [
        "我的问题"
    ]
    assert api_for(cast.secretary).get("/api/findings/?mine=true").json()["count"] == 1
    row = api.get(f"/api/inspections/{inspection.pk}/").json()
    assert (row["finding_count"], row["open_count"], row["overdue_count"]) == (2, 2, 0)
    year = inspection.inspected_on.year
    assert api.get(f"/api/inspections/?year={year}").json()["count"] == 1
    assert api.get(f"/api/inspections/?year={year - 1}").json()["count"] == 0


def test_assessments_with_their_scores(tree, cast, api_for):
    scheme = schemes.create_scheme(
        actor=cast.street_a, area=tree.street_a, year=THIS_YEAR, level=Level.COMMUNITY
    )
    item = schemes.add_item(actor=cast.street_a, scheme=scheme, name="走访", weight=10, method=Method.MANUAL)
    schemes.add_item(
        actor=cast.street_a,
        scheme=scheme,
        name="整改",
        weight=20,
        method=Method.COMPUTED,
        provider="assessments.rectification",
    )
    schemes.compute_scheme(scheme=scheme)
    assessment = scheme.assessments.get()
    schemes.score_by_hand(actor=cast.street_a, assessment=assessment, item=item, score=8, reason="走访到位")
    data = api_for(cast.secretary).get(f"/api/assessments/?scheme={scheme.pk}").json()
    (row,) = data["results"]
    assert (row["area_name"], Decimal(row["total"]), row["rank_in_peers"], row["peers"]) == (
        "桥楼社区",
        Decimal("28.00"),
        1,
        1,
    )
    scores = {s["item_name"]: s for s in row["scores"]}
    assert scores["走访"]["source"] == "manual" and scores["走访"]["reason"] == "走访到位"
    assert scores["整改"]["source"] == "computed" and scores["整改"]["detail"] == "本年度无督察问题"
    assert api_for(cast.street_a).get(f"/api/assessments/?year={THIS_YEAR - 1}").json()["count"] == 0
