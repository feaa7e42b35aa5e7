"""Django's `flush`, with every append-only guard of the database opened (the audit trail's, the points
ledger's: grassroots/audit/dbguard.py): emptying the whole database (the test suite between transactional
tests, an operator starting afresh) is not tampering with them. On SQLite flush deletes row by row, which
the triggers would refuse; on PostgreSQL it truncates, which row triggers do not see."""

from django.core.management.commands.flush import Command as FlushCommand

from grassroots.audit.dbguard import opened_all


class Command(FlushCommand):
    def handle(self, **options):
        with opened_all(options["database"]):
            return super().handle(**options)
