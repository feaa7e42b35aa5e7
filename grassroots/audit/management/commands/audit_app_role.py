"""The PostgreSQL role the platform runs as in production: not the owner of its tables, so that the audit
trail's triggers cannot be dropped or disabled, nor its tables truncated or altered, with the application's
credentials (grassroots/audit/dbguard.py `app_role_sql`; docs/operations.md "The database roles")."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from grassroots.audit.dbguard import app_role_sql


class Command(BaseCommand):
    help = (
        "Print (or, with --apply, run as the tables' owner) the SQL that gives ROLE the rights the running "
        "platform needs without owning its tables: on the audit trail no TRUNCATE, no trigger changes. "
        "Run again after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's role, e.g. grassroots_app")
        parser.add_argument("--apply", action="store_true", help="run the statements now (PostgreSQL)")
        parser.add_argument(
            "--append-only",
            action="store_true",
            help="only SELECT and INSERT on the audit tables (retention and deletion requests then need the "
            "owner's credentials)",
        )

    def handle(self, *args, role, apply, append_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only: SQLite has no roles (its file's permissions are the guard).")
        try:
            statements = app_role_sql(
                role, database=connection.settings_dict["NAME"], append_only=append_only
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not apply:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role}: rights granted; set its password (ALTER ROLE … PASSWORD) and use it in "
            "DATABASE_URL of web, worker and clock; keep the owner for migrate."
        )
