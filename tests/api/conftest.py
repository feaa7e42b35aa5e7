"""Fixtures for API tests: `api_for(user)` gives a DRF client carrying that user's token, the way an
integration would call the API (`Authorization: Token …`)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import api_token


@pytest.fixture
def api_for(db):
    def client(user) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        return api

    return client


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token endpoint counts requests per address in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
