"""Exclusive kinds (volunteer service): one person holds one sign-up at overlapping times, also when the two
sign-ups race; check-out and the organizer's times per participant."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.gatherings import services
from grassroots.gatherings.models import Participant
from tests.concurrency import race, server_db_only


def test_overlapping_volunteer_service_is_refused_in_chinese(cast, make_gathering):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)

    def service(offset_hours, kind="volunteer_service", **fields):
        starts_at = start + timedelta(hours=offset_hours)
        return make_gathering(
            kind=kind, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields
        )

    first = service(0, title="关爱老人")
    second = service(1)
    services.sign_up(user=cast.resident, gathering=first)
    with pytest.raises(ValidationError) as info:
        services.sign_up(user=cast.resident, gathering=second)
    assert info.value.code == "overlap"
    assert "您已报名同一时段的“关爱老人”" in info.value.messages[0]
    assert not second.participants.exists()
    # Back to back (ending when the first starts) is fine; a meeting (not exclusive) at the same time too.
    services.sign_up(user=cast.resident, gathering=service(-2))
    services.sign_up(user=cast.resident, gathering=service(0, kind="meeting"))
    # Giving the first seat back frees the time.
    services.cancel_sign_up(user=cast.resident, gathering=first)
    services.sign_up(user=cast.resident, gathering=second)


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sign_ups_at_once_give_one_seat(cast, make_gathering):
    gatherings = [
        make_gathering(kind="volunteer_service", starts_in=timedelta(days=1, minutes=15 * i))
        for i in range(4)
    ]
    outcomes = race(lambda g: services.sign_up(user=cast.resident, gathering=g), gatherings)
    assert sorted(outcomes) == ["ok"] + ["refused:overlap"] * 3
    assert Participant.objects.filter(user=cast.resident, signed_up_at__isnull=False).count() == 1


def test_check_out_after_check_in(cast, time_machine, make_gathering):
    gathering = make_gathering(kind="volunteer_service", starts_in=timedelta(hours=1), hours=2)
    services.sign_up(user=cast.resident, gathering=gathering)
    with pytest.raises(ValidationError, match="尚未签到"):
        services.check_out(user=cast.resident, gathering=gathering)
    start = gathering.starts_at
    services.check_in(user=cast.resident, gathering=gathering, now=start - timedelta(minutes=5))
    row = services.check_out(
        user=cast.resident, gathering=gathering, now=start + timedelta(hours=1, minutes=30)
    )
    assert str(row.attended_hours) == "1.6"
    with pytest.raises(ValidationError, match="已签退"):
        services.check_out(user=cast.resident, gathering=gathering, now=start + timedelta(hours=2))
    late = make_gathering(kind="volunteer_service", starts_in=timedelta(days=3))
    services.check_in(user=cast.resident, gathering=late, now=late.starts_at)
    with pytest.raises(ValidationError, match="不在签退时间内"):
        services.check_out(user=cast.resident, gathering=late, now=late.ends_at + timedelta(hours=3))


def test_the_organizer_records_and_corrects_times(cast, make_gathering):
    gathering = make_gathering(kind="volunteer_service", starts_in=timedelta(hours=-3), hours=2)
    Participant.objects.create(gathering=gathering, user=cast.resident, signed_up_at=timezone.now())
    start = gathering.starts_at
    with pytest.raises(PermissionDenied):
        services.record_times(
            actor=cast.street_b, gathering=gathering, person=cast.resident, checked_in_at=start
        )
    with pytest.raises(ValidationError) as info:
        services.record_times(
            actor=cast.street_a,
            gathering=gathering,
            person=cast.resident,
            checked_in_at=start + timedelta(hours=1),
            checked_out_at=start,
        )
    assert info.value.message_dict == {"checked_out_at": ["签退时间必须晚于签到时间。"]}
    with pytest.raises(ValidationError) as info:
        services.record_times(
            actor=cast.street_a,
            gathering=gathering,
            person=cast.resident,
            checked_in_at=start - timedelta(hours=2),
        )
    assert "checked_in_at" in info.value.message_dict
    row = services.record_times(
        actor=cast.street_a,
        gathering=gathering,
        person=cast.resident,
        checked_in_at=start,
        checked_out_at=start + timedelta(hours=2),
    )
    row.refresh_from_db()
    assert row.present is True and row.attended_hours == 2
    with pytest.raises(ValidationError, match="不在本会议活动的参会名单中"):
        services.record_times(
            actor=cast.street_a, gathering=gathering, person=cast.worker, checked_in_at=start
        )
