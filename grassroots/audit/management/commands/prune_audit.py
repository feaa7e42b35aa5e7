from django.core.management.base import BaseCommand

from grassroots.audit import services


class Command(BaseCommand):
    help = "Delete audit entries older than AUDIT_RETENTION_DAYS (never fewer than 180 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the prune as a background task instead of running it.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from grassroots.audit.tasks import prune_audit

            result = prune_audit.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        outcome = services.prune_audit()
        self.stdout.write(
            f"pruned {outcome['changes']} change entries and {outcome['events']} events "
            f"older than {outcome['retention_days']} days"
        )
