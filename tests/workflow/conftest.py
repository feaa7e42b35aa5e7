"""Beside the fixed cast: a grid worker of grid A1g and a community worker of 育才社区 (community B1), and a
newcomer's pending verification request at 一号院落 (courtyard A1c)."""

import pytest

from tests.workflow.factories import make_people, register


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(cast, tree):
    return make_people(tree)


@pytest.fixture
def application(cast, people, tree):
    """A pending verification request of a newcomer living in 一号院落."""
    return register(tree.courtyard_a)
