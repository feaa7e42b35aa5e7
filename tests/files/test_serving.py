"""Files are never public: no route serves MEDIA_URL (not even with DEBUG on), every kind of stored file
goes out only through its scoped view — the owner gets it, street_b (the outsider) gets 404, an anonymous
visitor is sent to sign in — and behind nginx the view answers with X-Accel-Redirect."""

from __future__ import annotations

import importlib
import re

import pytest
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve

import grassroots.urls

NAME = re.compile(
    r"^(imports|imports/rejected|exports|workflow|gatherings|documents)/\d{4}/\d{2}/[A-Za-z0-9_-]{32}\.\w+$"
)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` builds it (DEBUG on), put back afterwards."""
    settings.DEBUG = True
    importlib.reload(grassroots.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(grassroots.urls)
    clear_url_caches()


def test_no_route_serves_media_even_with_debug_on(debug_urls, stored, client_for):
    with pytest.raises(Resolver404):
        resolve("/media/" + stored.fieldfile.name)
    assert client_for(stored.owner).get("/media/" + stored.fieldfile.name).status_code == 404
    assert Client().get("/media/" + stored.fieldfile.name).status_code == 404


def test_the_owner_gets_the_file_the_outsider_404_the_anonymous_the_login(stored, cast, client_for):
    with stored.fieldfile.open("rb") as handle:
        content = handle.read()
    response = client_for(stored.owner).get(stored.url)
    assert response.status_code == 200
    assert body(response) == content
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    assert client_for(cast.street_b).get(stored.url).status_code == 404
    anonymous = Client().get(stored.url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert content not in anonymous.content


def test_only_the_requester_gets_an_export_and_only_the_uploader_the_import_files(
    export_job, rejected_import, cast, client_for
):
    # The city official sees street_a's area, but an export is its requester's alone.
    city = client_for(cast.city)
    assert city.get(f"/imports/exports/{export_job.pk}/download/").status_code == 404
    # The uploaded file and its rejected rows: the uploader, and in scope whoever may see rejected rows.
    for outsider in (cast.street_b, cast.resident, cast.auditor):
        client = client_for(outsider)
        assert client.get(f"/imports/{rejected_import.pk}/file/").status_code == 404
        assert client.get(f"/imports/{rejected_import.pk}/rejected/").status_code == 404


def test_stored_names_are_random(stored):
    name = stored.fieldfile.name
    assert NAME.match(name), name
    assert "张三" not in name and "会场" not in name and "核验记录" not in name


def test_two_uploads_of_the_same_file_get_different_unguessable_names():
    from grassroots.files.naming import random_name

    names = {random_name("imports", "党员名单.xlsx") for _ in range(50)}
    assert len(names) == 50 and all(n.endswith(".xlsx") and "党员名单" not in n for n in names)


def test_behind_nginx_the_view_answers_with_an_internal_redirect(stored, cast, client_for, settings):
    settings.FILES_ACCEL_REDIRECT = "/protected-media/"
    response = client_for(stored.owner).get(stored.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + stored.fieldfile.name
    assert response.content == b""
    assert "filename" in response["Content-Disposition"]
    assert client_for(cast.street_b).get(stored.url).status_code == 404


def test_a_missing_file_is_404_not_500(attachment, client_for, cast, settings):
    attachment.file.storage.delete(attachment.file.name)
    assert client_for(cast.worker).get(f"/workflow/attachments/{attachment.pk}/").status_code == 404
    settings.FILES_ACCEL_REDIRECT = "/protected-media/"
    assert client_for(cast.worker).get(f"/workflow/attachments/{attachment.pk}/").status_code == 404
