"""Two people deciding on one record at the same moment: the loser is told, never shown a server error."""

import threading

import pytest
from django.db import connection, connections
from django.db.models.signals import post_init

from grassroots.accounts.models import ResidentVerification, VerificationState
from grassroots.workflow.services import TransitionRefused, transition


def test_reloading_a_record_leaves_the_shared_state_field_protected(application):
    """django-fsm-2 switches `protected` off on the field object (shared by every thread) while it reloads;
    a second thread reloading at that moment would then fail. Our reload never touches the field."""
    field = ResidentVerification._meta.get_field("state")
    seen = []

    def during_reload(sender, instance, **kwargs):
        seen.append(field.protected)

    post_init.connect(during_reload, sender=ResidentVerification)
    try:
        application.refresh_from_db()
    finally:
        post_init.disconnect(during_reload, sender=ResidentVerification)
    assert seen == [True]
    assert field.protected
    assert application.state == VerificationState.PENDING
    with pytest.raises(AttributeError):  # still protected on the instance after the reload
        application.state = VerificationState.VERIFIED


def test_a_deferred_field_loads_on_a_record_read_with_only(application):
    """`only("pk")` then reading another field: Django reloads that one field, and the copy it reads from
    has its state loaded (django-fsm reads it on init), so the state is set again; it must not be refused
    as a direct modification (the demo's study records failed so)."""
    partial = ResidentVerification.objects.only("pk").get(pk=application.pk)
    assert partial.full_name == application.full_name
    assert partial.state == VerificationState.PENDING
    with pytest.raises(AttributeError):
        partial.state = VerificationState.VERIFIED


def test_a_reload_picks_up_a_decision_taken_elsewhere(application, cast):
    stale = ResidentVerification.objects.get(pk=application.pk)
    transition(application, "verify", actor=cast.worker)
    stale.refresh_from_db()
    assert stale.state == VerificationState.VERIFIED
    with pytest.raises(TransitionRefused):  # its state is not "pending" any more
        transition(stale, "reject", actor=cast.secretary, comment="地址不符")


def race(pk, deciders) -> list[str]:
    """Each decider loads the record, all wait at a barrier, then each takes its step at once."""
    barrier = threading.Barrier(len(deciders))
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(actor, name):
        try:
            mine = ResidentVerification.objects.get(pk=pk)
            barrier.wait()
            transition(mine, name, actor=actor, comment="核实")
            result = "ok"
        except TransitionRefused as exc:
            result = "refused:" + exc.code
        except Exception as exc:  # what the user must never get
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=decide, args=(actor, "verify" if i % 2 else "reject"))
        for i, actor in enumerate(deciders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
@pytest.mark.django_db(transaction=True)
def test_racing_deciders_get_one_success_and_refusals(application, cast, people):
    deciders = [cast.worker, cast.secretary, people.grid_worker] * 3
    for _round in range(3):
        outcomes = race(application.pk, deciders)
        assert outcomes.count("ok") == 1, outcomes
        assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
        ResidentVerification.objects.filter(pk=application.pk).update(state=VerificationState.PENDING)
