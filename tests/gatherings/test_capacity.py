"""Capacity: the last seat goes to exactly one person, also when people sign up at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grassroots.accounts.roles import Role
from grassroots.gatherings import services
from grassroots.gatherings.models import Participant
from tests.factories import make_user


def test_the_last_seat_and_then_full(cast, tree, make_gathering):
    gathering = make_gathering(capacity=2)
    services.sign_up(user=cast.resident, gathering=gathering)
    services.sign_up(user=cast.worker, gathering=gathering)  # the last seat
    with pytest.raises(ValidationError) as info:
        services.sign_up(user=cast.secretary, gathering=gathering)
    assert info.value.messages == ["名额已满（共 2 人），无法报名。"]
    assert info.value.code == "full"
    # A seat given back can be taken again.
    services.cancel_sign_up(user=cast.worker, gathering=gathering)
    services.sign_up(user=cast.secretary, gathering=gathering)
    assert gathering.participants.filter(signed_up_at__isnull=False).count() == 2


def test_invitations_do_not_take_seats(cast, make_gathering):
    gathering = make_gathering(capacity=1, visibility="invited")
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.resident, cast.worker])
    services.sign_up(user=cast.worker, gathering=gathering)
    with pytest.raises(ValidationError, match="名额已满"):
        services.sign_up(user=cast.resident, gathering=gathering)


def test_no_capacity_means_no_limit(cast, make_gathering):
    gathering = make_gathering(capacity=None)
    for user in (cast.resident, cast.worker, cast.secretary, cast.street_a):
        services.sign_up(user=user, gathering=gathering)
    assert gathering.participants.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_capacity(cast, tree, make_gathering):
    gathering = make_gathering(capacity=3)
    people = [make_user(f"resident{i}", Role.RESIDENT, tree.courtyard_a) for i in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            services.sign_up(user=user, gathering=gathering)
            result = "ok"
        except ValidationError as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3
    assert Participant.objects.filter(gathering=gathering, signed_up_at__isnull=False).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
@pytest.mark.django_db(transaction=True)
def test_a_cancel_racing_sign_ups_notifies_everyone_who_got_a_seat(cast, tree, make_gathering):
    """The cancel step takes the same row lock as a sign-up: a sign-up is either before it (and its person is
    told of the cancel) or after it (refused), never lost in between; the step is logged once."""
    from grassroots.workflow.models import Notification, TransitionLog
    from grassroots.workflow.services import TransitionRefused

    gathering = make_gathering(capacity=10)
    people = [make_user(f"resident{i}", Role.RESIDENT, tree.courtyard_a) for i in range(6)]
    barrier = threading.Barrier(len(people) + 2)
    outcomes: dict[str, str] = {}
    lock = threading.Lock()

    def attempt(name, action):
        try:
            barrier.wait()
            action()
            result = "ok"
        except (ValidationError, TransitionRefused) as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes[name] = result

    jobs = [(u.username, lambda u=u: services.sign_up(user=u, gathering=gathering)) for u in people]
    for i in range(2):  # two organizers cancel at once: one step
        jobs.append(
            (f"cancel{i}", lambda: services.cancel_gathering(actor=cast.street_a, gathering=gathering))
        )
    threads = [threading.Thread(target=attempt, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes[f"cancel{i}"] for i in range(2)) == ["ok", "state"]
    seated = set(Participant.objects.filter(gathering=gathering).values_list("user__username", flat=True))
    assert seated == {name for name, result in outcomes.items() if result == "ok" and name.startswith("res")}
    assert all(outcomes[u.username] in ("ok", "not_planned") for u in people)
    told = set(
        Notification.objects.filter(verb__contains="已取消").values_list("recipient__username", flat=True)
    )
    assert told == seated
    assert TransitionLog.objects.filter(object_id=gathering.pk, transition="cancel").count() == 1
