"""attendance_recorded: sent after commit, once per change of a person's attendance, never on rollback."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from grassroots.gatherings import services
from grassroots.gatherings.signals import attendance_recorded


@pytest.fixture
def received():
    calls = []

    def receiver(sender, gathering, user, present, previous, **kwargs):
        calls.append((gathering.pk, user.username, present, previous))

    attendance_recorded.connect(receiver, weak=False)
    yield calls
    attendance_recorded.disconnect(receiver)


def test_sent_on_commit_not_before(cast, ongoing, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.check_in(user=cast.resident, gathering=ongoing)
        assert received == []  # not yet: the transaction has not committed
    assert len(callbacks) == 1
    assert received == [(ongoing.pk, "resident", True, None)]


def test_sent_once_per_change_and_not_for_the_same_state(
    cast, ongoing, received, django_capture_on_commit_callbacks
):
    services.sign_up(user=cast.worker, gathering=ongoing)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_in(user=cast.worker, gathering=ongoing)
        services.check_in(user=cast.worker, gathering=ongoing)  # again: no change
        services.record_attendance(actor=cast.street_a, gathering=ongoing, person=cast.worker, present=True)
        services.record_attendance(
            actor=cast.street_a, gathering=ongoing, person=cast.worker, present=False, reason="提前离开"
        )
        # a new reason is written but presence did not change: no signal
        services.record_attendance(
            actor=cast.street_a, gathering=ongoing, person=cast.worker, present=False, reason="身体不适"
        )
    assert received == [(ongoing.pk, "worker", True, None), (ongoing.pk, "worker", False, True)]


def test_not_sent_when_the_transaction_rolls_back(
    cast, ongoing, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.check_in(user=cast.resident, gathering=ongoing)
                raise RuntimeError("something later in the same request failed")
        except RuntimeError:
            pass
    assert received == []
    assert not ongoing.participants.filter(present=True).exists()


def test_not_sent_when_the_sheet_fails(cast, ongoing, received, django_capture_on_commit_callbacks):
    services.sign_up(user=cast.resident, gathering=ongoing)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.record_attendance_sheet(
            actor=cast.street_a, gathering=ongoing, marks=[(cast.resident, True, ""), (cast.admin, True, "")]
        )
    assert received == []


def test_sheet_sends_one_per_changed_person(cast, ongoing, received, django_capture_on_commit_callbacks):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker, cast.secretary])
    services.check_in(user=cast.secretary, gathering=ongoing)  # already present
    with django_capture_on_commit_callbacks(execute=True):
        services.record_attendance_sheet(
            actor=cast.street_a,
            gathering=ongoing,
            marks=[(cast.resident, True, ""), (cast.worker, False, "值班"), (cast.secretary, True, "")],
        )
    assert sorted(received) == [(ongoing.pk, "resident", True, None), (ongoing.pk, "worker", False, None)]


@pytest.mark.django_db(transaction=True)
def test_sent_after_a_real_commit(cast, make_gathering, received):
    gathering = make_gathering(starts_in=timedelta(minutes=-5))
    services.check_in(user=cast.resident, gathering=gathering)
    assert received == [(gathering.pk, "resident", True, None)]
