"""Eight writers appending to the audit trail at once, in threads with their own connections on PostgreSQL:
they queue on the chain head's lock, so the chain does not fork (no two links share a predecessor, no gap)
and verifies."""

from __future__ import annotations

import threading

import pytest
from auditlog.models import LogEntry
from django.db import connection, connections

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, AuditScope, ChainLink
from grassroots.audit.services import record_access
from tests.factories import make_user

THREADS = 8
ROUNDS = 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    users = [make_user(f"writer{n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(user) -> None:
        try:
            barrier.wait()
            for round_ in range(ROUNDS):
                record_access(kind=AuditEvent.Kind.LOGIN, user=user)  # an access event
                user.full_name = f"{user.username}-{round_}"
                user.save()  # a change entry (auditlog)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    links = list(ChainLink.objects.order_by("seq"))
    # every access event, change entry and change entry's scope is a link of the one chain
    assert len(links) == AuditEvent.objects.count() + LogEntry.objects.count() + AuditScope.objects.count()
    assert AuditEvent.objects.count() == THREADS * ROUNDS
    assert [link.seq for link in links] == list(range(1, len(links) + 1))
    assert len({link.prev_hash for link in links}) == len(links)  # no fork
    outcome = chain.verify()
    assert outcome.ok, outcome.broken
    assert outcome.checked == len(links)
