"""`/api/members/` and `/api/registrations/`: scoped like the pages (branch secretaries, street officials,
outsiders 404), filtered with the same filter, masked unless the caller holds people.view_pii on the row and
asks (audited), the ID number validated at its field, one person one record, and a query count that does not
grow with the rows."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import Member, MemberTag, Registration
from tests.members.fixtures_records import *  # noqa: F403
from tests.members.fixtures_records import valid_id, with_bad_check_digit


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def people(person, branch_x, branch_y, branch_b):
    return {
        "x": person("张晓", branch=branch_x, phone="13812345678"),
        "y": person("王毅", branch=branch_y),
        "b": person("赵彬", branch=branch_b),
    }


def test_the_list_is_scoped(people, cast, branch_sec, api_for):
    assert names(api_for(branch_sec).get("/api/members/")) == {"张晓"}
    assert names(api_for(cast.secretary).get("/api/members/")) == {"张晓", "王毅"}
    assert names(api_for(cast.street_b).get("/api/members/")) == {"赵彬"}
    assert names(api_for(cast.resident).get("/api/members/")) == set()
    assert api_for(cast.street_b).get(f"/api/members/{people['x'].pk}/").status_code == 404
    assert api_for(branch_sec).get(f"/api/members/{people['y'].pk}/").status_code == 404


def test_the_list_filters_like_the_page(people, cast, api_for, branch_x):
    tag = MemberTag.objects.create(name="法律", kind="skill")
    people["y"].tags.add(tag)
    api = api_for(cast.secretary)
    assert names(api.get("/api/members/", {"branch": branch_x.pk})) == {"张晓"}
    assert names(api.get("/api/members/", {"tag": tag.pk})) == {"王毅"}
    assert names(api.get("/api/members/", {"q": "zx"})) == {"张晓"}
    assert api.get("/api/members/", {"q": people["y"].id_number}).status_code == 400  # never in a URL
    found = api.post("/api/members/search/?status=normal", {"q": people["y"].id_number}, format="json")
    assert names(found) == {"王毅"}
    assert names(api.get("/api/members/", {"status": "normal", "age_min": 40})) == {"张晓", "王毅"}
    assert api.get("/api/members/", {"status": "nonsense"}).status_code == 400


def test_masked_unless_asked_and_allowed(people, cast, branch_sec, api_for):
    x = people["x"]
    row = api_for(cast.secretary).get(f"/api/members/{x.pk}/").json()
    assert row["id_number"] == x.id_masked and row["phone"] == "138****5678" and row["unmasked"] is False
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()

    row = api_for(cast.worker).get(f"/api/members/{x.pk}/", {"unmasked": "true"}).json()  # no view_pii
    assert row["id_number"] == x.id_masked and row["unmasked"] is False
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()

    row = api_for(branch_sec).get(f"/api/members/{x.pk}/", {"unmasked": "true"}).json()
    assert row["id_number"] == x.id_number and row["phone"] == "13812345678" and row["unmasked"] is True
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_id=x.pk)
    assert entry.actor == branch_sec


def test_an_unmasked_list_is_audited_as_an_export(people, cast, api_for, tree):
    response = api_for(cast.secretary).get("/api/members/", {"unmasked": "1"})
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["张晓"]["id_number"] == people["x"].id_number
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.unmasked and event.count == 2 and event.user == cast.secretary
    api_for(cast.worker).get("/api/members/", {"unmasked": "1"})  # nothing unmasked: nothing to log
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


def test_per_row_unmasking_follows_the_callers_pii_scope(people, branch_sec, api_for, general, tree):
    from grassroots.accounts.models import RoleGrant

    RoleGrant.objects.create(user=branch_sec, role="community_worker", area=tree.community_a)  # view, no pii
    rows = {
        r["name"]: r for r in api_for(branch_sec).get("/api/members/", {"unmasked": "1"}).json()["results"]
    }
    assert rows["张晓"]["unmasked"] is True  # their own branch: the secretary's view_pii
    assert rows["王毅"]["unmasked"] is False and rows["王毅"]["id_number"] == people["y"].id_masked


def create_body(branch, **extra):
    body = {
        "name": "陈红",
        "id_number": valid_id(date(1975, 3, 8), male=False),
        "branch": branch.pk,
        "joined_probationary_on": "2000-07-01",
        "phone": "13812345678",
    }
    body.update(extra)
    return body


def test_create_validates_the_id_number_at_its_field(cast, api_for, branch_x):
    api = api_for(cast.secretary)
    response = api.post("/api/members/", create_body(branch_x, id_number=with_bad_check_digit(valid_id())))
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"] == ["身份证号校验位不正确，请核对。"]
    response = api.post("/api/members/", create_body(branch_x, birth_date="1976-01-01"))
    assert (
        response.status_code == 400
        and "出生日期与身份证号不一致" in response.json()["errors"]["birth_date"][0]
    )
    response = api.post("/api/members/", create_body(branch_x))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["gender"] == "female" and body["birth_date"] == "1975-03-08" and body["unmasked"] is False
    member = Member.objects.get()
    assert LogEntry.objects.get_for_object(member).get().actor == cast.secretary  # token request: still named


def test_create_refuses_a_duplicate(cast, api_for, branch_x, branch_y, branch_b, person):
    first = person("陈红")
    response = api_for(cast.secretary).post("/api/members/", create_body(branch_y, id_number=first.id_number))
    assert response.status_code == 400
    assert response.json()["errors"]["existing"] == [f"/members/{first.pk}/"]
    hidden = person("赵彬", branch=branch_b)
    response = api_for(cast.secretary).post(
        "/api/members/", create_body(branch_x, id_number=hidden.id_number)
    )
    assert response.status_code == 400 and "existing" not in response.json()["errors"]
    assert "其他党组织" in response.json()["errors"]["id_number"][0]


def test_create_needs_a_branch_in_scope(cast, api_for, branch_b, branch_sec, branch_y):
    response = api_for(cast.secretary).post("/api/members/", create_body(branch_b))
    assert response.status_code == 400 and "branch" in response.json()["errors"]
    response = api_for(branch_sec).post("/api/members/", create_body(branch_y))
    assert response.status_code == 400 and "branch" in response.json()["errors"]
    assert api_for(cast.resident).post("/api/members/", create_body(branch_b)).status_code == 400


def test_update(people, cast, api_for, branch_sec):
    x = people["x"]
    tag = MemberTag.objects.create(name="老党员")
    response = api_for(branch_sec).patch(f"/api/members/{x.pk}/", {"occupation": "医生", "tags": [tag.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["occupation"] == "医生" and response.json()["tags"][0]["name"] == "老党员"
    assert api_for(cast.auditor).patch(f"/api/members/{x.pk}/", {"occupation": "x"}).status_code == 403
    assert api_for(cast.street_b).patch(f"/api/members/{x.pk}/", {"occupation": "x"}).status_code == 404
    response = api_for(branch_sec).patch(f"/api/members/{x.pk}/", {"id_number": "123"})
    assert response.status_code == 400 and "身份证号应为18位" in response.json()["errors"]["id_number"][0]
    assert api_for(branch_sec).delete(f"/api/members/{x.pk}/").status_code == 405


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(rows, person, cast, api_for, django_assert_max_num_queries):
    tag = MemberTag.objects.create(name="老党员")
    for i in range(rows):
        person(f"党员{i:02d}").tags.add(tag)
    api = api_for(cast.secretary)
    # token and user, grants, organizations led; count, page (branch, home and the pii flag in one),
    # tags of the page; the export entry (the exporter's area, savepoint, insert, release) and its link in
    # the audit hash chain (read back, lock the head, insert the link, move the head)
    with django_assert_max_num_queries(14):
        response = api.get("/api/members/", {"unmasked": "true"})
    assert response.json()["count"] == rows


# --- registrations --------------------------------------------------------------------------------------
@pytest.fixture
def commuter(person, branch_b, tree):
    return person("张三", branch=branch_b, in_service=True, home_area=tree.courtyard_a)


def test_registration_api_paths(commuter, cast, api_for, tree):
    keeper = api_for(cast.street_b)
    response = keeper.post("/api/registrations/", {"member": commuter.pk, "services_offered": "义诊"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == "pending" and response.json()["community"] == tree.community_a.pk
    assert (
        keeper.post(f"/api/registrations/{pk}/transitions/confirm/").status_code == 403
    )  # not the community
    assert (
        api_for(cast.worker).post(f"/api/registrations/{pk}/transitions/reject/", {}).status_code == 400
    )  # no reason
    response = api_for(cast.worker).post(f"/api/registrations/{pk}/transitions/confirm/")
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    assert (
        api_for(cast.worker).post(f"/api/registrations/{pk}/transitions/confirm/").status_code == 400
    )  # not pending
    response = keeper.post(f"/api/registrations/{pk}/transitions/end/", {"comment": "调离"})
    assert response.json()["state"] == "ended"
    assert (
        api_for(cast.street_a).get(f"/api/registrations/{pk}/").status_code == 200
    )  # the community's street
    assert api_for(cast.resident).get(f"/api/registrations/{pk}/").status_code == 404


def test_registration_api_refusals(commuter, cast, api_for, tree):
    from tests.factories import make_party_org

    assert api_for(cast.street_a).post("/api/registrations/", {"member": commuter.pk}).status_code == 400
    body = {"member": commuter.pk, "party_org": make_party_org("单位", tree.county).pk}
    assert api_for(cast.city).post("/api/registrations/", body).status_code == 400
    unit = make_party_org("雅安日报党支部", tree.county)
    response = api_for(cast.city).post(
        "/api/registrations/", {"party_org": unit.pk, "community": tree.community_a.pk}
    )
    assert response.status_code == 201 and response.json()["kind"] == "org"
    response = api_for(cast.secretary).get("/api/registrations/", {"kind": "org"})
    assert [row["name"] for row in response.json()["results"]] == ["雅安日报党支部"]


@pytest.mark.parametrize("rows", [3, 30])
def test_registration_list_queries_do_not_grow(
    rows, person, cast, api_for, tree, django_assert_max_num_queries
):
    from grassroots.core.members.services.registration import register_member

    for i in range(rows):
        register_member(
            actor=cast.secretary, member=person(f"在职{i:02d}", in_service=True, home_area=tree.courtyard_a)
        )
    api = api_for(cast.secretary)
    with django_assert_max_num_queries(5):  # token and user, grants, organizations led; count, page
        response = api.get("/api/registrations/")
    assert response.json()["count"] == rows == Registration.objects.count()
