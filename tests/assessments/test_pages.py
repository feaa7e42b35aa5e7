"""The remaining pages: forms open for those who may use them (403 for others), the on-site meetings page
lists gatherings of that kind and links to the gatherings pages, creating a scheme and an agency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.core.assessments.models import AssessmentScheme, StationedAgency
from grassroots.core.assessments.services.meetings import record_site_meeting
from grassroots.gatherings.services import create_gathering


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/reports/new/",
        "/assessments/inspections/new/",
        "/assessments/schemes/new/",
        "/assessments/agencies/new/",
    ],
)
def test_forms_open_for_managers_only(cast, orgs, client_for, url):
    assert client_for(cast.street_a).get(url).status_code == 200
    assert client_for(cast.worker).get(url).status_code == 403
    assert client_for(cast.resident).get(url).status_code == 403


def test_site_meetings_page(tree, cast, client_for):
    starts = timezone.now() - timedelta(days=3)
    site = create_gathering(
        actor=cast.street_a,
        kind="site_meeting",
        title="小区治理现场会",
        area=tree.community_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="滨江小区",
    )
    create_gathering(
        actor=cast.street_a,
        kind="meeting",
        title="普通工作会",
        area=tree.community_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    page = client_for(cast.street_a).get("/assessments/site-meetings/").content.decode()
    assert (
        "小区治理现场会" not in page
    )  # a gathering of the kind without its record: on the gatherings pages only
    meeting = record_site_meeting(
        actor=cast.street_a,
        gathering=site,
        host_area=tree.community_a,
        shows="practice",
        practice_area=tree.community_a,
        practice="红色物业",
    )
    page = client_for(cast.street_a).get("/assessments/site-meetings/").content.decode()
    assert "小区治理现场会" in page and f"/assessments/site-meetings/{meeting.pk}/" in page
    assert "普通工作会" not in page
    assert "/assessments/site-meetings/new/" in page  # the button to create one
    detail = client_for(cast.street_a).get(f"/assessments/site-meetings/{meeting.pk}/").content.decode()
    assert f"/gatherings/{site.pk}/" in detail  # attendance, minutes and photos stay on the gathering
    assert (
        "小区治理现场会" not in client_for(cast.street_b).get("/assessments/site-meetings/").content.decode()
    )
    page = client_for(cast.street_a).get("/assessments/site-meetings/?kind=review_meeting").content.decode()
    assert "小区治理现场会" not in page


def test_create_scheme_and_agency_through_the_pages(tree, cast, client_for):
    client = client_for(cast.street_a)
    year = timezone.localdate().year
    response = client.post(
        "/assessments/schemes/new/", {"name": "", "year": year, "area": tree.street_a.pk, "level": 4}
    )
    scheme = AssessmentScheme.objects.get()
    assert response.status_code == 302 and scheme.name == f"青江街道 {year} 年度社区考核"
    response = client.post(
        "/assessments/schemes/new/", {"name": "", "year": year, "area": tree.street_a.pk, "level": 4}
    )
    assert response.status_code == 200 and "year" in response.context["form"].errors
    response = client.post(
        f"/assessments/schemes/{scheme.pk}/items/new/",
        {"name": "整改", "weight": "20", "method": "computed", "provider": "assessments.rectification"},
    )
    assert response.status_code == 302 and scheme.items.get().provider == "assessments.rectification"
    response = client.post(
        "/assessments/agencies/new/", {"street": tree.street_a.pk, "name": "青江派出所", "head": "nobody"}
    )
    assert response.status_code == 200 and "head" in response.context["form"].errors
    client.post("/assessments/agencies/new/", {"street": tree.street_a.pk, "name": "青江派出所", "head": ""})
    agency = StationedAgency.objects.get()
    response = client.post(
        f"/assessments/agencies/{agency.pk}/edit/",
        {"name": "青江派出所", "department": "雨城区公安分局", "head": "worker", "active": "on"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.head == cast.worker and agency.department == "雨城区公安分局"
    assert client_for(cast.secretary).get(f"/assessments/agencies/{agency.pk}/edit/").status_code == 404
