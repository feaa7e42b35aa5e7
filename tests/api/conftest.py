"""Fixtures for API tests (`api_for(user)`, a DRF client carrying that user's token, is in tests/conftest.py
for every part): an anonymous client, and fresh throttles for each test."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token endpoint counts requests per address in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
