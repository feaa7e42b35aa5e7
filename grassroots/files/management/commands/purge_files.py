from django.core.management.base import BaseCommand

from grassroots.files.services import purge_files, retention_days


class Command(BaseCommand):
    help = "Delete import files, rejected-rows workbooks and exports older than FILES_RETENTION_DAYS."

    def handle(self, *args, **options):
        result = purge_files()
        counts = ", ".join(f"{n} {key}" for key, n in result.as_dict().items())
        self.stdout.write(f"purged (older than {retention_days()} days): {counts}")
