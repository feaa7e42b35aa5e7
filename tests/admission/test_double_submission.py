"""Double submission of the catalog's pages (tests/security/test_submission_tokens.py lists them as tokened
and proven here, their bodies naming a county's area): the same form posted three times writes one affair or
request and answers the three alike; another form writes another; a page shown carries a fresh token."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, FundsTransfer
from tests.admission.conftest import allot
from tests.concurrency import race, server_db_only

AFFAIR = {
    "name": "退役军人信息采集",
    "department": "退役军人事务局",
    "legal_basis": "《退役军人保障法》",
    "powers": "信息采集、走访慰问",
    "funds_per_community": "2000",
    "valid_from": "2025-01-01",
}
REQUEST = {
    "department": "雨城区民政局",
    "name": "高龄津贴资格认证",
    "legal_basis": "《四川省老年人权益保障条例》第二十条",
    "justification": "社区熟悉辖区老人情况，便于上门认证。",
    "powers": "入户核验、出具认证意见",
    "funds_per_community": "8000",
    "valid_from": "2025-01-01",
}


@pytest.mark.parametrize(
    ("name", "model", "body", "area"),
    [
        ("admission:affair_create", AdmittedAffair, AFFAIR, "county"),
        ("admission:request_create", AdmissionRequest, REQUEST, "street_a"),
    ],
)
def test_the_same_form_posted_three_times_writes_one(tree, county, client_for, name, model, body, area):
    client = client_for(county)
    url = reverse(name)
    page = client.get(url).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    assert token != re.search(r'name="submission" value="([^"]+)"', client.get(url).content.decode()).group(1)
    body = body | {"area": getattr(tree, area).pk, "submission": token}
    answers = [client.post(url, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [302] * 3
    assert len({a["Location"] for a in answers}) == 1  # the repeat shows the record the first made
    assert model.objects.filter(name=body["name"]).count() == 1
    client.post(url, body | {"submission": "another-form"})
    assert model.objects.filter(name=body["name"]).count() == 2


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_six_allotments_of_one_affair_community_and_year_at_once_write_one(tree, county, affairs):
    """admission_funds_once_a_year holds when the posts race: one row, the others refused at 社区."""
    refusals: list[list[str]] = []

    def allot_once(_i):
        try:
            allot(county, affairs["county"], tree.community_a, 2025)
        except ValidationError as exc:
            refusals.append(exc.message_dict["community"])
            raise ValidationError("repeated", code="repeated") from exc

    outcomes = race(allot_once, range(6))
    assert sorted(outcomes) == ["ok"] + ["refused:repeated"] * 5, outcomes
    assert refusals == [["该社区本年度该事项的经费已下达，请勿重复登记。"]] * 5
    assert FundsTransfer.objects.filter(area=tree.community_a, year=2025).count() == 1
