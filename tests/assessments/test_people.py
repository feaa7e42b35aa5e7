"""People: residents' ratings of the cadres serving their grid (only verified residents of that grid), the
grid extension (网格化干部考察延伸制), stationed agencies and the street Party committee's review of their
heads, which shows in the head's personnel assessment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.accounts.services.verification import VerificationRequired
from grassroots.areas.models import Level
from grassroots.core.assessments.models import AgencyHeadReview, GridRating
from grassroots.core.assessments.services import cadres
from grassroots.core.assessments.services import people as services
from tests.factories import make_area, make_user

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def verified(cast):
    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    return cast.resident


def test_only_verified_residents_of_the_grid_may_rate(cast, people, client_for, verified):
    # unverified: refused (403 on the page)
    unverified = make_user("unverified", Role.RESIDENT, verified.home_area, home_area=verified.home_area)
    with pytest.raises(VerificationRequired):
        services.rate_worker(resident=unverified, worker=people.grid, score=5)
    response = client_for(unverified).post("/assessments/rate/", {"worker": people.grid.pk, "score": "5"})
    assert response.status_code == 403
    # a verified resident of another grid may not rate this grid's worker
    with pytest.raises(ValidationError) as error:
        services.rate_worker(resident=people.resident_b, worker=people.grid, score=5)
    assert "worker" in error.value.message_dict
    # a verified resident of the grid may, once a year: rating again changes it
    client = client_for(verified)
    page = client.get("/assessments/rate/").content.decode()
    assert "杨帆" in page and "第一网格" in page
    assert (
        client.post(
            "/assessments/rate/", {"worker": people.grid.pk, "score": "4", "comment": "及时"}
        ).status_code
        == 302
    )
    client.post("/assessments/rate/", {"worker": people.grid.pk, "score": "5", "comment": "很好"})
    rating = GridRating.objects.get()
    assert (rating.resident, rating.worker, rating.grid, rating.score, rating.comment, rating.year) == (
        verified,
        people.grid,
        people.grid.grants.get().area,
        5,
        "很好",
        THIS_YEAR,
    )
    # someone not serving the grid, the resident themself, and a score out of range are refused
    for worker, score in ((cast.street_b, 5), (verified, 5), (people.grid, 6), (people.grid, 0)):
        with pytest.raises(ValidationError):
            services.rate_worker(resident=verified, worker=worker, score=score)
    assert GridRating.objects.count() == 1


def test_a_resident_outside_any_grid_cannot_rate(tree, cast, people):
    courtyard = make_area("直属院落", Level.COURTYARD, tree.community_b)
    outsider = make_user("nogrid", Role.RESIDENT, courtyard, home_area=courtyard, verified_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.rate_worker(resident=outsider, worker=people.grid, score=5)


def test_the_personnel_view_of_a_grid_worker(tree, cast, people, verified, client_for):
    """The stored grid cadre score (tests/assessments/test_cadres.py) on the person's page: theirs to see,
    and the street's; another street's reads as missing."""
    services.rate_worker(resident=verified, worker=people.grid, score=4)
    cadres.compute_cadre_scores(street=tree.street_a, year=THIS_YEAR)
    person = client_for(cast.street_a).get(f"/assessments/people/{people.grid.pk}/").content.decode()
    assert "4.00" in person and "80.0" in person and "1 / 1" in person  # ratings alone: 4 / 5
    assert client_for(cast.street_b).get(f"/assessments/people/{people.grid.pk}/").status_code == 404
    assert client_for(people.grid).get(f"/assessments/people/{people.grid.pk}/").status_code == 200


def test_agency_review_feeds_the_heads_personnel_assessment(tree, cast, people, client_for, api_for):
    head = make_user("head", Role.STREET_OFFICIAL, tree.street_a, full_name="周所长")
    client = client_for(cast.street_a)
    response = client.post(
        "/assessments/agencies/new/",
        {"street": tree.street_a.pk, "name": "青江派出所", "department": "雨城区公安分局", "head": "head"},
    )
    assert response.status_code == 302
    agency = head.headed_agencies.get()
    response = client.post(
        agency.get_absolute_url(), {"year": THIS_YEAR, "score": "92.5", "comments": "积极参与街道工作"}
    )
    assert response.status_code == 302
    review = AgencyHeadReview.objects.get()
    assert (review.head, review.score, review.grade, review.reviewed_by) == (
        head,
        Decimal("92.5"),
        "good",
        cast.street_a,
    )
    # reviewing again the same year changes the review
    client.post(agency.get_absolute_url(), {"year": THIS_YEAR, "score": "88", "comments": "有所改进"})
    assert AgencyHeadReview.objects.get().score == Decimal("88.0")
    # a line of the head's personnel assessment, seen by the head and the street
    for viewer in (head, cast.street_a):
        page = client_for(viewer).get(f"/assessments/people/{head.pk}/").content.decode()
        assert "青江派出所" in page and "88.0" in page and "有所改进" in page


def test_only_the_street_party_committee_reviews_agency_heads(tree, cast, people, api_for):
    head = make_user("head", Role.STREET_OFFICIAL, tree.street_a)
    agency = services.create_agency(actor=cast.street_a, street=tree.street_a, name="青江司法所", head=head)
    for user in (cast.secretary, cast.city, people.county):
        with pytest.raises(PermissionDenied):
            services.review_agency_head(actor=user, agency=agency, year=THIS_YEAR, score=90, comments="好")
    with pytest.raises(ValidationError) as error:
        services.review_agency_head(actor=cast.street_a, agency=agency, year=THIS_YEAR, score=90, comments="")
    assert "comments" in error.value.message_dict
    # through the API: the street answers 201, the city 403, another street 400 ("对象不存在")
    body = {"agency": agency.pk, "year": THIS_YEAR, "score": "90", "comments": "好"}
    response = api_for(cast.street_a).post("/api/agency-reviews/", body, format="json")
    assert response.status_code == 201 and response.json()["head"] == head.pk
    assert api_for(cast.city).post("/api/agency-reviews/", body, format="json").status_code == 403
    response = api_for(cast.street_b).post("/api/agency-reviews/", body, format="json")
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    # an agency without a head cannot be reviewed
    empty = services.create_agency(actor=cast.street_a, street=tree.street_a, name="青江市场监管所")
    with pytest.raises(ValidationError):
        services.review_agency_head(
            actor=cast.street_a, agency=empty, year=THIS_YEAR, score=90, comments="好"
        )


def test_agencies_must_be_in_a_street(tree, cast):
    with pytest.raises(ValidationError) as error:
        services.create_agency(actor=cast.street_a, street=tree.community_a, name="x")
    assert "street" in error.value.message_dict
    services.create_agency(actor=cast.street_a, street=tree.street_a, name="同名所")
    with pytest.raises(ValidationError) as error:
        services.create_agency(actor=cast.street_a, street=tree.street_a, name="同名所")
    assert "name" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_agency(actor=cast.street_b, street=tree.street_a, name="越权所")


def test_the_agency_export_holds_the_years_scores_and_none_of_another_street(tree, cast, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    head = make_user("head", Role.STREET_OFFICIAL, tree.street_a, full_name="王所长")
    agency = services.create_agency(
        actor=cast.street_a, street=tree.street_a, name="青江司法所", department="雨城区司法局", head=head
    )
    services.review_agency_head(actor=cast.street_a, agency=agency, year=THIS_YEAR, score=92, comments="好")
    services.create_agency(actor=cast.street_b, street=tree.street_b, name="东城派出所")
    url = reverse("imports:list_export", args=["assessments-agencies"])
    street = client_for(cast.street_a)
    assert 'data-export="assessments-agencies"' in street.get("/assessments/agencies/").content.decode()
    rows = read_xlsx(b"".join(street.post(url + f"?year={THIS_YEAR}").streaming_content))["派驻机构"]
    assert rows == [
        ["机构名称", "派出部门", "所在街道（乡镇）", "负责人", "已撤离", "年度考评"],
        ["青江司法所", "雨城区司法局", "青江街道", "王所长", "否", 92],
    ]
    last_year = read_xlsx(b"".join(street.post(url + f"?year={THIS_YEAR - 1}").streaming_content))
    assert last_year["派驻机构"][1][5] is None  # not reviewed that year
    assert client_for(cast.street_b).post(url + f"?area={tree.street_a.pk}").status_code == 404
    other = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["派驻机构"]
    assert [row[0] for row in other[1:]] == ["东城派出所"]
    assert client_for(cast.resident).post(url).status_code == 403
