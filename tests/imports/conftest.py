import pytest


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary MEDIA_ROOT, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
