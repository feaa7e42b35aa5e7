"""`manage.py import_areas FILE.xlsx`: import areas and Party organizations as the system (no scope, root
areas allowed), e.g. to load a new city into an empty database. All or nothing, like the import page."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.areas.services import import_workbook


class Command(BaseCommand):
    help = "Import areas and Party organizations from an xlsx workbook (the import template's layout)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file")

    def handle(self, *args, path, **options):
        try:
            with open(path, "rb") as handle:
                outcome = import_workbook(file=handle, actor=None)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if not outcome.ok:
            for error in outcome.errors:
                where = f"{error.sheet} row {error.row} {error.column}".strip()
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(f"{len(outcome.errors)} error(s); nothing was written")
        self.stdout.write(
            f"imported {outcome.areas_created} areas and {outcome.orgs_created} Party organizations"
        )
