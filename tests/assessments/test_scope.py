"""Every list, page and endpoint of the app goes through the scoping function: the owner (street_a) sees the
records of 青江街道, the outsider (street_b) gets 404 for them and does not find them in lists, residents get
403 on the officials' lists."""

import pytest
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.assessments.models import Assessment, Method
from grassroots.core.assessments.services import people as people_services
from grassroots.core.assessments.services import schemes
from tests.factories import make_user

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def records(tree, cast, report, add_finding, people):
    finding = add_finding(description="青江的督察问题")
    scheme = schemes.create_scheme(
        actor=cast.street_a, area=tree.street_a, year=THIS_YEAR, level=Level.COMMUNITY
    )
    schemes.add_item(actor=cast.street_a, scheme=scheme, name="走访", weight=10, method=Method.MANUAL)
    schemes.compute_scheme(scheme=scheme)
    head = make_user("head", full_name="周所长")  # no grant: a county department's cadre
    agency = people_services.create_agency(
        actor=cast.street_a, street=tree.street_a, name="青江派出所", head=head
    )
    review = people_services.review_agency_head(
        actor=cast.street_a, agency=agency, year=THIS_YEAR, score=90, comments="好"
    )
    return {
        "report": report,
        "inspection": finding.inspection,
        "finding": finding,
        "scheme": scheme,
        "assessment": Assessment.objects.get(scheme=scheme),
        "agency": agency,
        "review": review,
        "head": head,
    }


DETAILS = [
    ("report", "/assessments/reports/{pk}/"),
    ("report", "/assessments/reports/{pk}/edit/"),
    ("report", "/assessments/reports/{pk}/review/"),
    ("inspection", "/assessments/inspections/{pk}/"),
    ("finding", "/assessments/findings/{pk}/"),
    ("scheme", "/assessments/schemes/{pk}/"),
    ("scheme", "/assessments/schemes/{pk}/status/"),
    ("assessment", "/assessments/results/{pk}/"),
    ("agency", "/assessments/agencies/{pk}/"),
    ("agency", "/assessments/agencies/{pk}/edit/"),
    ("head", "/assessments/people/{pk}/"),
    ("report", "/api/work-reports/{pk}/"),
    ("inspection", "/api/inspections/{pk}/"),
    ("finding", "/api/findings/{pk}/"),
    ("assessment", "/api/assessments/{pk}/"),
    ("review", "/api/agency-reviews/{pk}/"),
]


@pytest.mark.parametrize(("key", "url"), DETAILS)
def test_outsiders_get_404(records, cast, client_for, key, url):
    url = url.format(pk=records[key].pk)
    assert client_for(cast.street_b).get(url).status_code == 404
    # the owner reaches it (edit and review pages answer 403: visible, but not theirs to change now)
    assert client_for(cast.street_a).get(url).status_code in (200, 403)


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("scheme", "/assessments/schemes/{pk}/compute/"),
        ("scheme", "/assessments/schemes/{pk}/copy/"),
        ("report", "/assessments/reports/{pk}/score/"),
        ("agency", "/assessments/agencies/{pk}/"),
    ],
)
def test_outsiders_get_404_on_actions(records, cast, client_for, key, url):
    assert client_for(cast.street_b).post(url.format(pk=records[key].pk), {"year": 2030}).status_code == 404


LISTS = [
    ("/assessments/reports/", "桥楼社区党总支"),
    ("/assessments/inspections/", "基层党建工作专项督察"),
    ("/assessments/findings/", "青江的督察问题"),
    ("/assessments/schemes/", "青江街道"),
    ("/assessments/agencies/", "青江派出所"),
]


@pytest.mark.parametrize(("url", "marker"), LISTS)
def test_lists_are_scoped(records, cast, client_for, url, marker):
    assert marker in client_for(cast.street_a).get(url).content.decode()
    response = client_for(cast.street_b).get(url)
    assert response.status_code == 200 and marker not in response.content.decode()
    assert client_for(cast.resident).get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/work-reports/",
        "/api/inspections/",
        "/api/findings/",
        "/api/assessments/",
        "/api/agency-reviews/",
    ],
)
def test_api_lists_are_scoped(records, cast, api_for, url):
    assert api_for(cast.street_a).get(url).json()["count"] == 1
    assert api_for(cast.street_b).get(url).json()["count"] == 0
    assert api_for(cast.resident).get(url).json()["count"] == 0


def test_area_filters_outside_the_scope_answer_404(records, tree, cast, client_for, api_for):
    for url in ("/assessments/reports/", "/assessments/findings/", "/assessments/agencies/"):
        assert client_for(cast.street_b).get(f"{url}?area={tree.street_a.pk}").status_code == 404
        assert client_for(cast.street_a).get(f"{url}?area={tree.street_a.pk}").status_code == 200
    assert api_for(cast.street_b).get(f"/api/findings/?area={tree.street_a.pk}").status_code == 404


def test_the_secretary_sees_their_organizations_records(records, cast, client_for, orgs):
    """The organization clause: the secretary of 桥楼社区党总支 sees its report and the inspection of it."""
    client = client_for(cast.secretary)
    assert client.get(records["report"].get_absolute_url()).status_code == 200
    assert client.get(records["finding"].get_absolute_url()).status_code == 200
    assert client.get(records["agency"].get_absolute_url()).status_code == 404  # the street's agency
    # the head sees their own agency and review without any grant covering the street's records
    head = client_for(records["head"])
    assert head.get(records["agency"].get_absolute_url()).status_code == 200
