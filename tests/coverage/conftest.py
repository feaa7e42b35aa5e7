"""Coverage fixtures on top of tests/conftest.py's tree and cast."""

from types import SimpleNamespace

import pytest

from grassroots.core.coverage.models import Entity
from tests.factories import make_party_org


def make_entity(
    name, area, kind="enterprise", status="none", party_members=0, full_members=0, employees=50, **fields
):
    return Entity.objects.create(
        name=name,
        area=area,
        kind=kind,
        status=status,
        employees=employees,
        party_members=party_members,
        full_members=full_members,
        **fields,
    )


@pytest.fixture
def orgs(tree):
    return SimpleNamespace(
        street=make_party_org("青江街道党工委", tree.street_a, kind="committee"),
        community=make_party_org("桥楼社区党委", tree.community_a, kind="committee"),
        street_b=make_party_org("东城街道党工委", tree.street_b, kind="committee"),
    )
