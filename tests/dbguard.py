"""Helpers of the tests of the append-only guards (grassroots/audit/dbguard.py): the audit trail's and the
points ledger's."""

from django.db import DatabaseError, connection, transaction


def refused(run) -> bool:
    try:
        with transaction.atomic():  # a savepoint: on PostgreSQL the failed statement aborts only it
            run()
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


def raw(statement: str, *params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run
