"""`manage.py restore ARCHIVE`: put a backup back, database and files, and verify every table and file
against the archive's manifest (grassroots/operations/backup.py). Stop the web and worker processes first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grassroots.operations.backup import BackupError, read_manifest, restore_archive


class Command(BaseCommand):
    help = "Replace the database (and MEDIA_ROOT) with a backup archive's, then verify them."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a grassroots-….tar.gz written by `manage.py backup`")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, no_media, no_input, **options):
        path = Path(archive)
        try:
            manifest = read_manifest(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not no_input:
            self.stdout.write(
                f"This replaces the whole database{'' if no_media else ' and MEDIA_ROOT'} with the backup of "
                f"{manifest['created_at']}. Stop the web server and the worker first."
            )
            if input("Type 'yes' to continue: ").strip() != "yes":
                raise CommandError("restore cancelled")
        try:
            restored = restore_archive(path, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = restored.manifest["tables"]
        self.stdout.write(
            f"restored {len(tables)} tables ({sum(t['rows'] for t in tables.values())} rows) "
            "and verified them against the backup"
        )
        if restored.media_aside:
            self.stdout.write(f"restored the files; the previous ones are in {restored.media_aside}")
