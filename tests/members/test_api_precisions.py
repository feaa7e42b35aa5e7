"""`/api/contact-attempts/`, `/api/study-records/`, `/api/transfers/`, `/api/dues-payments/`,
`/api/care-visits/`: scoped (street B gets 404 and empty lists), filtered, paginated, writes through the
services (403 without members.change), constant queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.members.models import (
    CareVisit,
    ContactAttempt,
    DuesPayment,
    Member,
    StudyRecord,
    Transfer,
)
from grassroots.core.members.services import care, dues, educate, find, manage
from tests.factories import api_token
from tests.members.fixtures_precisions import *  # noqa: F403


@pytest.fixture
def api_for(db):
    def client(user) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        return api

    return client


def one_of_each(cast, member):
    today = timezone.localdate()
    return {
        "contact-attempts": find.record_contact_attempt(actor=cast.worker, member=member, method="phone"),
        "study-records": educate.add_study_record(
            actor=cast.worker, member=member, title="党课", studied_on=today, hours=Decimal(2)
        ),
        "dues-payments": dues.record_dues_payment(
            actor=cast.worker, member=member, year=today.year, month=today.month, amount=Decimal(5)
        ),
        "care-visits": care.record_care_visit(actor=cast.worker, member=member, kind="holiday"),
    }


ENDPOINTS = ("contact-attempts", "study-records", "dues-payments", "care-visits")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_and_details_are_scoped(api_for, cast, member, endpoint):
    record = one_of_each(cast, member)[endpoint]
    owner, outsider = api_for(cast.secretary), api_for(cast.street_b)
    response = owner.get(f"/api/{endpoint}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["member"] == member.pk
    assert body["results"][0]["member_name"] == "张三"
    assert owner.get(f"/api/{endpoint}/{record.pk}/").status_code == 200
    assert outsider.get(f"/api/{endpoint}/").json()["count"] == 0
    assert outsider.get(f"/api/{endpoint}/{record.pk}/").status_code == 404
    assert api_for(cast.resident).get(f"/api/{endpoint}/").json()["count"] == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_filters_by_member_and_area(api_for, cast, tree, member, make_member, endpoint):
    one_of_each(cast, member)
    one_of_each(cast, make_member("李四"))
    api = api_for(cast.city)
    assert api.get(f"/api/{endpoint}/").json()["count"] == 2
    assert api.get(f"/api/{endpoint}/?member={member.pk}").json()["count"] == 1
    assert api.get(f"/api/{endpoint}/?area={tree.community_a.pk}").json()["count"] == 2
    assert api.get(f"/api/{endpoint}/?area={tree.community_b.pk}").json()["count"] == 0


def test_creating_goes_through_the_services(api_for, cast, member):
    api = api_for(cast.worker)
    today = timezone.localdate().isoformat()
    response = api.post(
        "/api/contact-attempts/",
        {"member": member.pk, "method": "visit", "reached": True, "result": "见到本人"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["by_name"] == "worker"
    response = api.post(
        "/api/study-records/", {"member": member.pk, "title": "党课", "studied_on": today, "hours": "0.3"}
    )
    assert response.status_code == 400 and "hours" in response.json()["errors"]
    response = api.post(
        "/api/study-records/", {"member": member.pk, "title": "党课", "studied_on": today, "hours": "1.5"}
    )
    assert response.status_code == 201
    response = api.post("/api/dues-payments/", {"member": member.pk, "year": 2025, "month": 1, "amount": "5"})
    assert response.status_code == 201
    response = api.post("/api/dues-payments/", {"member": member.pk, "year": 2025, "month": 1, "amount": "5"})
    assert response.status_code == 400 and response.json()["errors"]["month"] == ["2025年1月的党费已登记。"]
    response = api.post("/api/care-visits/", {"member": member.pk, "kind": "hardship", "help_given": "助学"})
    assert response.status_code == 201
    assert (ContactAttempt.objects.count(), StudyRecord.objects.count()) == (1, 1)
    assert (DuesPayment.objects.count(), CareVisit.objects.count()) == (1, 1)


def test_writes_need_the_permission_and_the_scope(api_for, cast, member):
    data = {"member": member.pk, "method": "phone"}
    assert (
        api_for(cast.auditor).post("/api/contact-attempts/", data).status_code == 403
    )  # sees, may not change
    response = api_for(cast.street_b).post("/api/contact-attempts/", data)
    assert (
        response.status_code == 400 and "member" in response.json()["errors"]
    )  # outside: like a missing member
    assert not ContactAttempt.objects.exists()


def test_study_records_delete_manual_only(api_for, cast, member):
    record = one_of_each(cast, member)["study-records"]
    assert api_for(cast.street_b).delete(f"/api/study-records/{record.pk}/").status_code == 404
    assert api_for(cast.auditor).delete(f"/api/study-records/{record.pk}/").status_code == 403
    assert api_for(cast.worker).delete(f"/api/study-records/{record.pk}/").status_code == 204
    assert not StudyRecord.objects.exists()


# --- transfers ---------------------------------------------------------------------------------------------
def test_transfer_through_the_api_each_side(api_for, cast, member, branch_b):
    old, new = api_for(cast.secretary), api_for(cast.street_b)
    response = old.post("/api/transfers/", {"member": member.pk, "to_branch": branch_b.pk, "reason": "搬家"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == "requested"
    assert new.get(f"/api/transfers/{pk}/").status_code == 404
    assert new.get("/api/transfers/").json()["count"] == 0
    assert new.post(f"/api/transfers/{pk}/transitions/release/", {"letter_number": "1"}).status_code == 404

    response = old.post(f"/api/transfers/{pk}/transitions/release/", {"letter_number": ""})
    assert response.status_code == 400
    response = old.post(f"/api/transfers/{pk}/transitions/release/", {"letter_number": "雅组转12号"})
    assert response.status_code == 200 and response.json()["state"] == "released"

    assert new.get("/api/transfers/?state=released").json()["count"] == 1
    assert (
        old.post(f"/api/transfers/{pk}/transitions/receive/", {}).status_code == 403
    )  # the old side does not receive
    response = new.post(f"/api/transfers/{pk}/transitions/receive/", {})
    assert response.status_code == 200 and response.json()["state"] == "received"
    assert Member.objects.get(pk=member.pk).branch_id == branch_b.pk
    assert (
        old.get(f"/api/transfers/?branch={response.json()['from_branch']}&direction=out").json()["count"] == 1
    )


def test_transfer_refused_by_either_side(api_for, cast, member, make_member, branch_b):
    old, new = api_for(cast.secretary), api_for(cast.street_b)
    first = manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b)
    response = old.post(f"/api/transfers/{first.pk}/transitions/refuse_release/", {"comment": ""})
    assert response.status_code == 400
    response = old.post(f"/api/transfers/{first.pk}/transitions/refuse_release/", {"comment": "手续不全"})
    assert response.status_code == 200 and response.json()["refusal_reason"] == "手续不全"

    second = manage.request_transfer(actor=cast.secretary, member=make_member("李四"), to_branch=branch_b)
    manage.release_transfer(actor=cast.secretary, transfer=second, letter_number="13")
    response = new.post(
        f"/api/transfers/{second.pk}/transitions/refuse_receipt/", {"comment": "不在本社区居住"}
    )
    assert response.status_code == 200 and response.json()["state"] == "refused"
    response = old.post(f"/api/transfers/{second.pk}/transitions/cancel/", {})
    assert response.status_code == 400  # refused is final
    assert Transfer.objects.filter(state="refused").count() == 2


# --- query counts ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "transfers"])
def test_list_queries_do_not_grow(
    api_for, cast, make_member, branch_b, endpoint, rows, django_assert_max_num_queries
):
    for i in range(rows):
        m = make_member(f"党员{i}", joined_probationary_on=date(2000, 1, 1) + timedelta(days=i))
        if endpoint == "transfers":
            manage.request_transfer(actor=cast.secretary, member=m, to_branch=branch_b)
        else:
            one_of_each(cast, m)
    api = api_for(cast.street_a)
    # token + user, grants, secretary orgs, count, page
    with django_assert_max_num_queries(5):
        response = api.get(f"/api/{endpoint}/")
    assert response.json()["count"] == rows
