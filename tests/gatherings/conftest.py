"""Fixtures for gathering tests: a factory going through the real service, photos as real PNG bytes."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.gatherings import services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_gathering(cast, tree):
    """make_gathering(**fields) → a gathering created by street_a's official in 桥楼社区, tomorrow, public,
    sign-up open; any field (and actor/area) can be overridden."""

    def make(*, actor=None, area=None, starts_in=timedelta(days=1), hours=2, **fields):
        starts_at = timezone.now() + starts_in
        values = {
            "kind": "meeting",
            "title": "院落议事会",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "place": "社区活动室",
            "visibility": "public",
            "signup_open": True,
        }
        values.update(fields)
        return services.create_gathering(
            actor=actor or cast.street_a, area=area or tree.community_a, **values
        )

    return make


@pytest.fixture
def ongoing(make_gathering):
    """A public gathering in 桥楼社区 that started ten minutes ago and lasts an hour more; sign-up stays open
    until it ends."""
    return make_gathering(
        title="正在进行的活动",
        starts_in=timedelta(minutes=-10),
        hours=1,
        signup_deadline=timezone.now() + timedelta(minutes=45),
    )


def png_upload(name="photo.png", size=(8, 6)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
