"""The API's attachments go through the same checks and the same streamed limit (a workflow step of an
admission request, multipart, with a token)."""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.admission.services import file_request
from grassroots.workflow.models import TransitionAttachment
from tests.admission.conftest import TERMS
from tests.factories import api_token, make_user
from tests.files.crafted import HTML, image_bytes, pdf_bytes, upload

KB = 1024


@pytest.fixture
def review_url(tree):
    county = make_user("county", Role.COUNTY_OFFICIAL, tree.county)
    request = file_request(actor=county, area=tree.street_a, **TERMS)
    return f"/api/admission-requests/{request.pk}/transitions/review/"


@pytest.fixture
def street(cast) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(cast.street_a)}")
    return api


def field_errors(response, field: str) -> list[str]:
    body = response.json()
    return body.get("errors", body)[field]  # the API's one error shape, or the field straight


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证明.png", HTML, "不是有效的图片"),
        ("证明.pdf", image_bytes("PNG") + HTML, "内容与文件扩展名不符"),
    ],
)
def test_a_disguised_file_is_refused_at_the_field(review_url, street, name, content, message):
    response = street.post(review_url, {"comment": "同意", "attachments": [upload(name, content)]})
    assert response.status_code == 400
    assert message in field_errors(response, "attachments")[0]
    assert not TransitionAttachment.objects.exists()


def test_a_file_past_the_limit_is_refused_at_the_field(review_url, street, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 64 * KB
    big = upload("证明.pdf", pdf_bytes() + os.urandom(1024 * KB))
    response = street.post(review_url, {"comment": "同意", "attachments": [big]})
    assert response.status_code == 400
    assert "超过 64.0\xa0KB，未接收" in field_errors(response, "attachments")[0]
    ok = street.post(review_url, {"comment": "同意", "attachments": [upload("证明.pdf", pdf_bytes())]})
    assert ok.status_code == 200 and TransitionAttachment.objects.get().name == "证明.pdf"
