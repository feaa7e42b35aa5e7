"""The demo's entities: realistic coverage, flagged gaps, instructors, teams; loading twice adds nothing."""

import pytest

from grassroots.core.coverage import selectors
from grassroots.core.coverage.models import Entity, Instructor, InstructorVisit, ServiceRecord
from tests.orglife.test_demo import seed

STEPS = {"areas", "party_orgs", "users", "residents", "coverage"}


@pytest.mark.django_db
def test_entities_with_realistic_coverage():
    seed(STEPS)
    total = selectors.summary(Entity.objects.all())
    assert total.total >= 100
    assert 60 <= total.rate <= 97 and total.flagged >= 1
    assert all(k.total for k in selectors.by_kind(Entity.objects.all()))
    assert Instructor.objects.exists() and InstructorVisit.objects.exists() and ServiceRecord.objects.exists()
    assert not Entity.objects.filter(status="instructor").exclude(assignments__isnull=False).exists()
    count = Entity.objects.count()
    seed(STEPS)
    assert Entity.objects.count() == count
