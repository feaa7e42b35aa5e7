"""The cast's resident with data in every part: a member record linked to the account, a verification, a
gathering attended, notifications."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.models import ResidentVerification
from grassroots.gatherings.models import Gathering, Participant
from grassroots.workflow.models import Notification
from tests.members.fixtures_precisions import *  # noqa: F403


@pytest.fixture
def resident(cast, tree, make_member):
    person = cast.resident
    person.full_name, person.phone = "王小明", "13800001234"
    person.save()
    member = make_member("王小明", user=person, phone="13800001234", birth_date=date(1990, 1, 2))
    person.member_record = member
    ResidentVerification.objects.create(
        user=person, area=tree.courtyard_a, full_name="王小明", phone="13800001234"
    )
    now = timezone.now()
    gathering = Gathering.objects.create(
        kind="activity",
        title="院落议事会",
        area=tree.community_a,
        organizer=cast.secretary,
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    Participant.objects.create(gathering=gathering, user=person, present=True)
    Notification.objects.create(recipient=person, verb="您的报名已确认")
    return person
