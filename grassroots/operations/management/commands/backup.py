"""`manage.py backup`: one archive of the database and the uploaded files (grassroots/operations/backup.py).
Safe while the platform runs; schedule it daily (docs/operations.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.operations.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup / pg_dump) and MEDIA_ROOT into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BACKUP_DIR),
            help="where the archive is written (default: settings.BACKUP_DIR, $GRASSROOTS_VAR_DIR/backups)",
        )
        parser.add_argument("--no-media", action="store_true", help="leave the uploaded files out")
        parser.add_argument(
            "--keep", type=int, default=0, help="then delete all but the N newest archives in the directory"
        )

    def handle(self, *args, output_dir, no_media, keep, **options):
        try:
            backup = create_backup(output_dir=Path(output_dir), media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"{backup.path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files"
        )
        for path in prune_backups(Path(output_dir), keep) if keep else []:
            self.stdout.write(f"deleted {path}")
