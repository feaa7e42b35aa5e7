"""Supports arriving at the same moment: one support per resident whatever the race, every resident's support
counted, the threshold crossed (and the staff notified) once. PostgreSQL only (real concurrent sessions)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grassroots.selfgov.models import Opinion, Support
from grassroots.selfgov.services import opinions
from grassroots.workflow.models import Notification

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for concurrency"),
    pytest.mark.django_db(transaction=True),
]


def race(opinion, people) -> list[str]:
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def support(person):
        try:
            barrier.wait()
            opinions.support_opinion(user=person, opinion=Opinion.objects.get(pk=opinion.pk))
            result = "ok"
        except ValidationError as exc:
            result = "refused:" + (exc.code or "")
        except Exception as exc:  # what a resident must never get
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=support, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_resident_racing_themselves_supports_once(people, opinion):
    outcomes = race(opinion, [people.li] * 8)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"refused:duplicate"}, outcomes
    opinion.refresh_from_db()
    assert opinion.support_count == Support.objects.filter(opinion=opinion).count() == 1


def test_three_residents_at_once_are_all_counted_and_notify_once(cast, people, opinion):
    outcomes = race(opinion, [people.li, people.zhao, people.sun] * 2)
    assert outcomes.count("ok") == 3, outcomes
    opinion.refresh_from_db()
    assert opinion.support_count == 3 and opinion.threshold_reached_at is not None
    assert Notification.objects.filter(recipient=cast.worker, target_id=opinion.pk).count() == 1
