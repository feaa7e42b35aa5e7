import pytest

from grassroots.accounts.roles import Role
from grassroots.lawgov import services_disputes as services
from tests.factories import make_user


@pytest.fixture
def mediators(tree):
    """The people's mediators of a community, of its street, of the county, and of the other street."""
    from types import SimpleNamespace

    return SimpleNamespace(
        community=make_user("med_community", Role.MEDIATOR, tree.community_a),
        street=make_user("med_street", Role.MEDIATOR, tree.street_a),
        county=make_user("med_county", Role.MEDIATOR, tree.county),
        other_street=make_user("med_street_b", Role.MEDIATOR, tree.street_b),
    )


def verified(user):
    """A resident real-name verified by the community (who alone files online)."""
    from django.utils import timezone

    user.verified_at = timezone.now()
    user.save(update_fields=["verified_at"])
    return user


@pytest.fixture
def dispute(cast, tree, today, django_capture_on_commit_callbacks):
    """A neighbours' dispute filed online by the (verified) resident, against a named neighbour."""
    verified(cast.resident)
    return services.file_dispute(
        actor=cast.resident,
        area=tree.courtyard_a,
        title="楼上漏水纠纷",
        category="neighbours",
        description="楼上卫生间漏水，多次协商未果。",
        channel="online",
        parties=[{"role": "respondent", "name": "王五", "phone": "13800001111", "address": "1栋302"}],
    )
