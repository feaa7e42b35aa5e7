"""Django's `flush`, with the audit trail's database guard opened (grassroots/audit/dbguard.py): emptying the
whole database (the test suite between transactional tests, an operator starting afresh) is not tampering
with the trail. On SQLite flush deletes row by row, which the triggers would refuse; on PostgreSQL it
truncates, which row triggers do not see."""

from django.core.management.commands.flush import Command as FlushCommand

from grassroots.audit.dbguard import opened


class Command(FlushCommand):
    def handle(self, **options):
        with opened(options["database"]):
            return super().handle(**options)
