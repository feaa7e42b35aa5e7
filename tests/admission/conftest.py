"""Fixtures of the admission tests: county officials (the cast has none), a request filed through the real
service (the API client with a token, `api_for`, is tests/conftest.py's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.admission.services import (
    allot_funds,
    confirm_funds_received,
    file_request,
    record_carried,
    transfer_funds,
)
from tests.factories import make_area, make_user


@pytest.fixture
def county(tree):
    """A county official of 雨城区: approves requests for its streets."""
    return make_user("county", Role.COUNTY_OFFICIAL, tree.county)


@pytest.fixture
def county2(tree):
    return make_user("county2", Role.COUNTY_OFFICIAL, tree.county)


TERMS = {
    "department": "雨城区民政局",
    "name": "高龄津贴资格认证",
    "legal_basis": "《四川省老年人权益保障条例》第二十条",
    "justification": "社区熟悉辖区老人情况，便于上门认证。",
    "powers": "入户核验、出具认证意见",
    "funds_per_community": Decimal("8000.00"),
    "valid_from": date(2025, 1, 1),
    "valid_to": None,
}


@pytest.fixture
def file(tree, county):
    """file(**changes) → a request filed by the county official for 青江街道's communities."""

    def make(*, actor=None, area=None, **changes):
        return file_request(actor=actor or county, area=area or tree.street_a, **{**TERMS, **changes})

    return make


# --- the funds ledger (test_funds*.py) ---------------------------------------------------------------------


def affair(area, name, funds):
    return AdmittedAffair.objects.create(
        area=area,
        name=name,
        legal_basis="依据",
        department=f"{name}主管部门",
        powers="入户核验",
        funds_per_community=Decimal(funds),
        valid_from=date(2020, 1, 1),
    )


@pytest.fixture
def affairs(tree):
    return {
        "city": affair(tree.city, "城市事项", "10000"),
        "county": affair(tree.county, "区县事项", "5000"),
        "street_a": affair(tree.street_a, "青江事项", "3000"),
    }


def allot(county, affair, community, year, **changes):
    return allot_funds(
        actor=county,
        affair=affair,
        community=community,
        year=year,
        allotted_on=changes.pop("allotted_on", date(year, 1, 10)),
        allot_document=changes.pop("allot_document", f"雨财预〔{year}〕1号"),
        **changes,
    )


def pay(county, entry):
    return transfer_funds(
        entry, actor=county, transferred_on=date(entry.year, 2, 1), transfer_document="国库支付 001"
    )


@pytest.fixture
def hand_counted(cast, tree, county, affairs, today):
    """Three communities carrying seven affair-years this year; what arrived, hand-counted:

    桥楼社区 (青江): 城市 received, 区县 transferred only, 青江 nothing (received last year)  → 2 without
    青衣社区 (青江): 城市 received, 青江 allotted only                                        → 1 without
    育才社区 (东城): 区县 received, 城市 allotted only                                        → 1 without
    青江街道 3 of 5, 东城街道 1 of 2, 雨城区 4 of 7."""
    year = today.year
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    secretary_q = make_user("secretary_q", Role.COMMUNITY_SECRETARY, qingyi)
    secretary_b = make_user("secretary_b", Role.COMMUNITY_SECRETARY, tree.community_b)
    a, q, b = tree.community_a, qingyi, tree.community_b
    record_carried(affair=affairs["city"], area_ids=[a.pk, q.pk, b.pk], year=year)
    record_carried(affair=affairs["county"], area_ids=[a.pk, b.pk], year=year)
    record_carried(affair=affairs["street_a"], area_ids=[a.pk, q.pk], year=year)

    def received(affair, community, who, in_year=year):
        entry = pay(county, allot(county, affair, community, in_year))
        confirm_funds_received(entry, actor=who, received_on=date(in_year, 3, 1))
        return entry

    received(affairs["city"], a, cast.secretary)
    pay(county, allot(county, affairs["county"], a, year))
    received(affairs["street_a"], a, cast.secretary, in_year=year - 1)
    received(affairs["city"], q, secretary_q)
    allot(county, affairs["street_a"], q, year)
    received(affairs["county"], b, secretary_b)
    allot(county, affairs["city"], b, year)
    return SimpleFixture(qingyi=q, year=year)


class SimpleFixture:
    def __init__(self, **kw):
        self.__dict__.update(kw)
