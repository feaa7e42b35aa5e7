"""Fixtures of the admission tests: county officials (the cast has none), a request filed through the real
service (the API client with a token, `api_for`, is tests/conftest.py's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.admission.services import file_request
from tests.factories import make_user


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
