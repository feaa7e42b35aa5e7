"""权随责走、费随事转 enforced: an affair handed to communities names its powers and funds per community per
year above 0, or a reason for going without them that a county official approves (who and when recorded).
Through the service, the page and the API; affairs entered before the rule stay, flagged."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, RequestState
from grassroots.core.admission.services import add_affair
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.services import start, transition
from tests.admission.conftest import TERMS


def test_a_request_needs_powers_and_funds_or_a_reason(file):
    with pytest.raises(ValidationError) as no_powers:
        file(powers="  ")
    assert list(no_powers.value.message_dict) == ["powers"]
    assert no_powers.value.message_dict["powers"][0].startswith("权随责走")
    with pytest.raises(ValidationError) as no_funds:
        file(funds_per_community=Decimal("0"))
    assert list(no_funds.value.message_dict) == ["funds_per_community"]
    assert no_funds.value.message_dict["funds_per_community"][0].startswith("费随事转")
    with pytest.raises(ValidationError) as neither:
        file(powers="", funds_per_community=Decimal("0"))
    assert set(neither.value.message_dict) == {"powers", "funds_per_community"}
    assert not AdmissionRequest.objects.exists()


def test_a_reason_is_approved_by_the_county_with_who_and_when(cast, tree, county, county2, file, today):
    request = file(powers="", funds_per_community=Decimal("0"), exemption_reason="经费由部门直接支付。")
    assert request.exemption_reason == "经费由部门直接支付。"
    transition(request, "review", actor=cast.street_a)
    with pytest.raises(TransitionRefused):
        transition(request, "approve", actor=county)  # the filer does not approve their own reason
    transition(request, "approve", actor=county2, comment="同意免除")
    affair = AdmittedAffair.objects.get()
    assert (affair.exemption_reason, affair.exemption_approved_by) == ("经费由部门直接支付。", county2)
    assert affair.exemption_approved_at == request.decided_at and affair.complies
    # Without a reason, an approved affair has no exemption to record.
    plain = file(name="另一事项")
    transition(plain, "review", actor=cast.street_a)
    transition(plain, "approve", actor=county2)
    assert plain.affair.exemption_approved_by is None and plain.affair.complies


def test_a_request_filed_before_the_rule_cannot_be_approved_without_them(cast, tree, county, county2):
    # Written as the old service wrote it (no check), then through the real steps.
    old = AdmissionRequest.objects.create(
        area=tree.street_a, filed_by=county, **{**TERMS, "powers": "", "funds_per_community": Decimal("0")}
    )
    start(old, actor=county)
    transition(old, "review", actor=cast.street_a)
    with pytest.raises(TransitionRefused) as refused:
        transition(old, "approve", actor=county2)
    assert refused.value.code == "condition" and "权随责走" in refused.value.message
    old.refresh_from_db()
    assert old.state == RequestState.REVIEWED and not AdmittedAffair.objects.exists()
    transition(old, "refuse", actor=county2, comment="未随事下放权力和经费")  # refusing stays possible


def test_the_catalog_keeper_approves_a_reason_by_entering_it(cast, tree, today):
    terms = {
        "area": tree.county,
        "name": "人口普查入户登记",
        "legal_basis": "《全国人口普查条例》",
        "department": "区统计局",
        "powers": "",
        "funds_per_community": Decimal("0"),
        "valid_from": today,
    }
    with pytest.raises(ValidationError) as refused:
        add_affair(actor=cast.city, **terms)
    assert set(refused.value.message_dict) == {"powers", "funds_per_community"}
    affair = add_affair(actor=cast.city, **terms, exemption_reason="普查员由统计部门聘用并支付报酬。")
    assert affair.exemption_approved_by == cast.city and affair.exemption_approved_at is not None
    assert affair.complies


def test_affairs_entered_before_the_rule_stay_and_are_flagged(cast, tree, client_for):
    old = AdmittedAffair.objects.create(
        area=tree.city,
        name="旧事项",
        legal_basis="依据",
        department="部门",
        valid_from=date(2020, 1, 1),
    )
    ok = AdmittedAffair.objects.create(
        area=tree.city,
        name="新事项",
        legal_basis="依据",
        department="部门",
        powers="入户",
        funds_per_community=Decimal("100"),
        valid_from=date(2020, 1, 1),
    )
    # A reason nobody approved does not make it comply.
    unapproved = AdmittedAffair.objects.create(
        area=tree.city,
        name="理由未审批",
        legal_basis="依据",
        department="部门",
        exemption_reason="理由",
        valid_from=date(2020, 1, 1),
    )
    assert (old.complies, ok.complies, unapproved.complies) == (False, True, False)
    page = client_for(cast.street_a).get(reverse("admission:catalog"))
    flagged = page.content.decode().count("不符合权随责走</span>")
    assert page.status_code == 200 and flagged == 2
    detail = client_for(cast.street_a).get(reverse("admission:affair_detail", args=[old.pk]))
    assert "不符合权随责走：" in detail.content.decode()


def test_the_request_form_shows_the_rule_at_the_fields(tree, county, client_for):
    body = {
        "area": tree.street_a.pk,
        **{k: v for k, v in TERMS.items() if v is not None},
        "powers": "",
        "funds_per_community": "0",
        "valid_from": "2025-01-01",
    }
    response = client_for(county).post(reverse("admission:request_create"), body)
    assert response.status_code == 200 and not AdmissionRequest.objects.exists()
    errors = response.context["form"].errors
    assert errors["powers"][0].startswith("权随责走") and errors["funds_per_community"][0].startswith(
        "费随事转"
    )
    response = client_for(county).post(
        reverse("admission:request_create"), {**body, "exemption_reason": "部门直接支付。"}
    )
    assert response.status_code == 302 and AdmissionRequest.objects.get().exemption_reason == "部门直接支付。"


def test_the_api_shows_the_rule_at_the_fields(tree, county, api_for):
    body = {
        "area": tree.street_a.pk,
        **{k: str(v) for k, v in TERMS.items() if v is not None},
        "funds_per_community": "0.00",
    }
    response = api_for(county).post("/api/admission-requests/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["funds_per_community"]
    response = api_for(county).post(
        "/api/admission-requests/", {**body, "exemption_reason": "部门直接支付。"}, format="json"
    )
    assert response.status_code == 201 and response.json()["exemption_reason"] == "部门直接支付。"
