"""Fixtures for API tests: `api_for(user)` gives a DRF client carrying that user's token, the way an
integration would call the API (`Authorization: Token …`)."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api_for(db):
    def client(user) -> APIClient:
        token, _created = Token.objects.get_or_create(user=user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
