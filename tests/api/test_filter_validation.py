"""Every filter parameter is validated into a 400 on its field: `?year=0` was a 500 ("year 0 is out of
range") on these lists."""

import pytest
from rest_framework.test import APIClient

from tests.factories import api_token

YEAR_LISTS = [
    "/api/care-visits/",
    "/api/study-records/",
    "/api/orglife-plans/",
    "/api/orglife-reports/",
    "/api/inspections/",
    "/api/findings/",
    "/api/duty-assignments/",
]


@pytest.mark.parametrize("url", YEAR_LISTS)
def test_a_year_out_of_range_is_a_400_on_the_field(cast, url):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(cast.city)}")
    for bad in ("0", "10000", "2025.5", "-1", "1e9"):
        response = api.get(url, {"year": bad})
        assert response.status_code == 400, (url, bad, response.content[:300])
        assert set(response.json()["errors"]) == {"year"}
    assert api.get(url, {"year": "2025"}).status_code == 200
