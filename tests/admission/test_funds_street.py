"""费随事转 to the level that does the affair: the county allots an affair's funds of a year to a street
(街道统筹); the street's officials confirm they arrived and allot them on to communities of their street, by
one document of the street, all or nothing, never more than the street received; each community then
confirms receipt. Through the service, the page and the API; another street's official, a community of
another street and an outsider are refused (docs/decisions.md, docs/admission.md)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.areas.models import Level
from grassroots.core.admission.models import FundsState, FundsTransfer, funds_payer
from grassroots.core.admission.services import (
    allot_from_street,
    confirm_funds_received,
    street_funds_left,
    transfer_funds,
)
from grassroots.workflow.engine import TransitionRefused
from tests.admission.conftest import allot, pay
from tests.factories import make_area


@pytest.fixture
def street_funds(cast, tree, county, affairs, today):
    """青江街道 (two communities: 桥楼, 青衣) received 区县事项's funds of this year, 12,000 yuan; 东城街道's
    育才社区 is another street's."""
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    entry = pay(county, allot(county, affairs["county"], tree.street_a, today.year, amount=Decimal("12000")))
    return entry, qingyi


def receive(entry, who):
    return confirm_funds_received(entry, actor=who, received_on=date(entry.year, 2, 10))


def street_allot(actor, source, communities, **changes):
    return allot_from_street(
        actor=actor,
        source=source,
        communities=communities,
        allotted_on=changes.pop("allotted_on", date(source.year, 3, 1)),
        allot_document=changes.pop("allot_document", "青江街道〔2026〕5号"),
        **changes,
    )


def test_the_county_allots_to_a_street_and_the_street_confirms(cast, tree, county, affairs, today):
    entry = allot(county, affairs["county"], tree.street_a, today.year)
    assert entry.amount == Decimal("5000.00")  # the funds per community times its one live community
    pay(county, entry)
    with pytest.raises(TransitionRefused):
        receive(entry, cast.secretary)  # a community's staff do not receive the street's funds
    with pytest.raises(TransitionRefused):
        receive(entry, cast.street_b)  # nor another street's officials
    receive(entry, cast.street_a)
    entry.refresh_from_db()
    assert entry.state == FundsState.RECEIVED and entry.received_by == cast.street_a


def test_the_street_allots_its_received_funds_to_its_communities(cast, tree, street_funds, today):
    source, qingyi = street_funds
    with pytest.raises(ValidationError) as early:
        street_allot(cast.street_a, source, [tree.community_a])
    assert list(early.value.message_dict) == ["source"]  # not yet received
    receive(source, cast.street_a)
    entries = street_allot(cast.street_a, source, [tree.community_a, qingyi], amount=Decimal("5000"))
    assert {(e.area.name, e.amount, e.department, e.source_id) for e in entries} == {
        ("桥楼社区", Decimal("5000"), "青江街道", source.pk),
        ("青衣社区", Decimal("5000"), "青江街道", source.pk),
    }
    assert street_funds_left(source) == Decimal("2000")
    community_row = FundsTransfer.objects.get(area=tree.community_a, source=source)
    assert community_row.state == FundsState.ALLOTTED


def test_the_street_pays_what_it_allotted_on_and_the_community_confirms(cast, tree, street_funds, county):
    """The street is the paying department of the rows it allotted on: its officials register the payment
    (登记拨付), the county above and another street cannot; then the community confirms receipt."""
    source, qingyi = street_funds
    receive(source, cast.street_a)
    (row,) = street_allot(cast.street_a, source, [tree.community_a], amount=Decimal("5000"))
    assert row in FundsTransfer.objects.filter(funds_payer.q(cast.street_a))  # on the street's to-do
    assert row not in FundsTransfer.objects.filter(funds_payer.q(county))

    def street_pays(who, entry):
        on = date(entry.year, 3, 5)
        return transfer_funds(entry, actor=who, transferred_on=on, transfer_document="东城街道支付 7")

    for outsider in (county, cast.street_b, cast.secretary):
        with pytest.raises(TransitionRefused):
            street_pays(outsider, row)
    row = FundsTransfer.objects.get(pk=row.pk)
    assert row.state == FundsState.ALLOTTED and not row.transferred_by
    street_pays(cast.street_a, row)
    confirm_funds_received(row, actor=cast.secretary, received_on=date(row.year, 3, 9))
    row.refresh_from_db()
    assert (row.state, row.transferred_by, row.received_by) == (
        FundsState.RECEIVED,
        cast.street_a,
        cast.secretary,
    )
    # the county still pays the rows it allotted itself, and not the street's
    direct = allot(county, source.affair, qingyi, source.year)
    assert not funds_payer(direct, cast.street_a) and funds_payer(direct, county)


def test_the_street_is_refused_past_what_it_received_and_outside_its_street(cast, tree, street_funds, county):
    source, qingyi = street_funds
    receive(source, cast.street_a)
    with pytest.raises(ValidationError) as too_much:
        street_allot(cast.street_a, source, [tree.community_a, qingyi], amount=Decimal("6000.01"))
    assert "尚可下达 12000.00 元" in too_much.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as other:
        street_allot(cast.street_a, source, [tree.community_a, tree.community_b], amount=Decimal("100"))
    assert other.value.message_dict["communities"] == ["育才社区：不是青江街道的社区。"]
    assert not FundsTransfer.objects.filter(source=source).exists()  # all or nothing
    for outsider in (cast.street_b, county, cast.secretary, cast.city):
        with pytest.raises(PermissionDenied):
            street_allot(outsider, source, [tree.community_a])
    street_allot(cast.street_a, source, [tree.community_a], amount=Decimal("100"))
    with pytest.raises(ValidationError) as twice:
        street_allot(cast.street_a, source, [tree.community_a], amount=Decimal("100"))
    assert twice.value.message_dict["communities"] == [
        "桥楼社区：该社区本年度该事项的经费已下达，请勿重复登记。"
    ]


def test_only_a_street_row_is_passed_on(cast, tree, county, affairs, today):
    entry = pay(county, allot(county, affairs["county"], tree.community_a, today.year))
    receive(entry, cast.secretary)
    with pytest.raises(PermissionDenied):  # no street official holds a grant on the community itself
        street_allot(cast.street_a, entry, [tree.community_a])


def test_the_page(cast, tree, street_funds, client_for, today):
    source, qingyi = street_funds
    url = reverse("admission:funds_street_allot", args=[source.pk])
    assert client_for(cast.street_b).get(url).status_code == 404  # another street's row
    assert client_for(cast.city).get(url).status_code == 403  # sees it, but not the street's to pass on
    receive(source, cast.street_a)
    client = client_for(cast.street_a)
    detail = client.get(source.get_absolute_url()).content.decode()
    assert url in detail and "尚可下达 12000.00 元" in detail
    page = client.get(url)
    assert {c.name for c in page.context["form"].fields["communities"].queryset} == {"桥楼社区", "青衣社区"}
    body = {"allotted_on": f"{today.year}-03-01", "allot_document": "青江街道〔2026〕5号", "amount": "7000"}
    refused = client.post(url, {**body, "communities": [tree.community_a.pk, qingyi.pk]})
    assert refused.status_code == 200 and "尚可下达 12000.00 元" in refused.content.decode()
    assert "is-invalid" in refused.content.decode()
    outside = client.post(url, {**body, "communities": [tree.community_b.pk]})
    assert outside.status_code == 200 and outside.context["form"].errors["communities"]  # not offered
    done = client.post(url, {**body, "communities": [qingyi.pk]})
    assert done.status_code == 302 and FundsTransfer.objects.get(source=source).area == qingyi
    assert "青衣社区" in client.get(source.get_absolute_url()).content.decode()


def test_the_api(cast, tree, street_funds, api_for, today):
    source, qingyi = street_funds
    url = f"/api/funds-transfers/{source.pk}/allot/"
    body = {"allotted_on": f"{today.year}-03-01", "allot_document": "青江街道〔2026〕5号", "amount": "4000"}
    assert (
        api_for(cast.street_b).post(url, {**body, "communities": [qingyi.pk]}, format="json").status_code
        == 404
    )
    refused = api_for(cast.city).post(url, {**body, "communities": [qingyi.pk]}, format="json")
    assert refused.status_code == 403
    api = api_for(cast.street_a)
    early = api.post(url, {**body, "communities": [qingyi.pk]}, format="json")
    assert early.status_code == 400 and "source" in early.json()["errors"]
    receive(source, cast.street_a)
    # 育才社区 lies outside the official's scope: 400 like a missing id, nothing said about it
    hidden = api.post(url, {**body, "communities": [tree.community_b.pk]}, format="json")
    assert hidden.status_code == 400 and "communities" in hidden.json()["errors"]
    made = api.post(url, {**body, "communities": [tree.community_a.pk, qingyi.pk]}, format="json")
    assert made.status_code == 201, made.content
    assert {(row["community_name"], row["source"]) for row in made.json()} == {
        ("桥楼社区", source.pk),
        ("青衣社区", source.pk),
    }
    again = api.post(url, {**body, "communities": [qingyi.pk]}, format="json")
    assert again.status_code == 400 and "communities" in again.json()["errors"]  # 4,000 left; 青衣 has one
    assert FundsTransfer.objects.filter(source=source).count() == 2


def test_the_county_allots_to_a_street_on_the_page(cast, tree, county, affairs, client_for, today):
    client = client_for(county)
    page = client.get(reverse("admission:funds_create"))
    assert tree.street_a in page.context["form"].fields["community"].queryset
    assert client_for(cast.street_a).get(reverse("admission:funds_create")).status_code == 403
    body = {
        "affair": affairs["county"].pk,
        "community": tree.street_a.pk,
        "year": today.year,
        "allotted_on": f"{today.year}-01-10",
        "allot_document": "雨财预〔2026〕3号",
    }
    assert client.post(reverse("admission:funds_create"), body).status_code == 302
    entry = FundsTransfer.objects.get(area=tree.street_a)
    assert entry.amount == Decimal("5000.00") and entry.state == FundsState.ALLOTTED
