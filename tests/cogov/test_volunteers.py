"""Volunteers: residents and members sign up with skills and availability; the community's staff see and sign
up their community's; others do not see them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.cogov import services
from grassroots.cogov.models import Volunteer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_resident_signs_up_for_their_community(cast, tree, client_for):
    client = client_for(cast.resident)
    assert client.get("/cogov/volunteering/").status_code == 200
    answer = client.post(
        "/cogov/volunteering/", {"skills": "理发，医疗护理 文艺", "availability": ["weekend"]}
    )
    assert answer.status_code == 302
    volunteer = Volunteer.objects.get(user=cast.resident)
    assert (volunteer.area, volunteer.skills, volunteer.availability) == (
        tree.community_a,
        ["理发", "医疗护理", "文艺"],
        ["weekend"],
    )
    client.post("/cogov/volunteering/", {"action": "leave"})
    volunteer.refresh_from_db()
    assert not volunteer.active
    client.post("/cogov/volunteering/", {"skills": "理发"})
    assert Volunteer.objects.get(user=cast.resident).active and Volunteer.objects.count() == 1


def test_refusals(cast, tree):
    homeless = make_user("homeless", Role.RESIDENT, tree.community_a)
    with pytest.raises(ValidationError) as exc:
        services.sign_up_volunteer(actor=homeless, skills=["理发"])
    assert "person" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.sign_up_volunteer(actor=cast.resident, skills=[" "])
    assert "skills" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.sign_up_volunteer(actor=cast.street_b, person=cast.resident, skills=["理发"])
    assert "person" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.sign_up_volunteer(actor=cast.auditor, skills=["理发"])


def test_staff_see_and_sign_up_their_communitys(
    cast, tree, client_for, api_for, django_assert_max_num_queries
):
    client = client_for(cast.worker)
    answer = client.post("/cogov/volunteers/", {"person": cast.resident.pk, "skills": "心理疏导"})
    assert answer.status_code == 302
    assert Volunteer.objects.get(user=cast.resident).signed_up_by == cast.worker
    with django_assert_max_num_queries(12):
        page = client.get("/cogov/volunteers/")
    assert "心理疏导" in page.content.decode()
    assert "心理疏导" not in client_for(cast.street_b).get("/cogov/volunteers/").content.decode()
    assert client_for(cast.resident).get("/cogov/volunteers/").status_code == 403
    assert api_for(cast.street_b).get("/api/volunteers/").json()["results"] == []
    mine = api_for(cast.resident).get("/api/volunteers/").json()["results"]
    assert [v["skills"] for v in mine] == [["心理疏导"]]
    created = api_for(cast.street_b).post(
        "/api/volunteers/", {"person": cast.resident.pk, "skills": ["x"]}, format="json"
    )
    assert created.status_code == 400


def test_a_volunteers_page_is_scoped_and_another_persons_view_is_audited(cast, tree, client_for, api_for):
    """The volunteer's own page (and `/api/volunteers/{id}/`): the community's staff and the volunteer read
    it; an official of another area gets 404; a view by someone else is a 查看 entry of the audit trail."""
    from auditlog.models import LogEntry

    volunteer = services.sign_up_volunteer(actor=cast.resident, skills=["理发"], availability=["weekend"])
    url = f"/cogov/volunteers/{volunteer.pk}/"

    def reads():
        return LogEntry.objects.get_for_object(volunteer).filter(action=LogEntry.Action.ACCESS)

    assert "理发" in client_for(cast.resident).get(url).content.decode()
    assert api_for(cast.resident).get(f"/api/volunteers/{volunteer.pk}/").status_code == 200
    assert not reads().exists()  # one's own record: no entry

    page = client_for(cast.worker).get(url)
    assert page.status_code == 200 and "理发" in page.content.decode()
    assert f'href="{url}"' in client_for(cast.worker).get("/cogov/volunteers/").content.decode()
    assert [(e.actor, e.object_repr) for e in reads()] == [(cast.worker, str(volunteer))]
    answer = api_for(cast.worker).get(f"/api/volunteers/{volunteer.pk}/")
    assert answer.status_code == 200 and answer.json()["skills"] == ["理发"]
    assert reads().count() == 2

    assert client_for(cast.street_b).get(url).status_code == 404
    assert api_for(cast.street_b).get(f"/api/volunteers/{volunteer.pk}/").status_code == 404
    assert client_for(make_user("neighbour", Role.RESIDENT, tree.community_a)).get(url).status_code == 404
    assert reads().count() == 2
