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
    # Own branches have their members on the records, counted from there; the rest are typed by hand.
    own = list(selectors.with_counts(Entity.objects.filter(status="own")))
    assert own and all(e.from_records and e.member_count >= e.full_count for e in own)
    assert sum(e.full_count >= 3 for e in own) >= 0.9 * len(own)
    assert not selectors.with_counts(Entity.objects.exclude(status="own")).filter(from_records=True).exists()
    count = Entity.objects.count()
    seed(STEPS)
    assert Entity.objects.count() == count
