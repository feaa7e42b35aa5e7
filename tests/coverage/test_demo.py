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
    # Own branches have their members on the records, counted from there; jointly covered entities count the
    # members linked to them as their workplace (the demo links every other one); the rest are typed by hand.
    own = list(selectors.with_counts(Entity.objects.filter(status="own")))
    assert own and all(e.from_records and e.member_count >= e.full_count for e in own)
    assert sum(e.full_count >= 3 for e in own) >= 0.9 * len(own)
    assert (
        not selectors.with_counts(Entity.objects.exclude(status__in=["own", "joint"]))
        .filter(from_records=True)
        .exists()
    )
    joint = list(selectors.with_counts(Entity.objects.filter(status="joint")))
    assert any(e.from_records for e in joint) and not all(e.from_records for e in joint)
    assert all(e.from_records == e.working_members.exists() for e in joint)
    count = Entity.objects.count()
    seed(STEPS)
    assert Entity.objects.count() == count
