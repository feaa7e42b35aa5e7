"""manage.py recover_imports: the stale-job check (grassroots.imports.recovery) for every running import —
resume or fail each one whose process died. The clock runs the same every 5 minutes (`imports.recover`)."""

from django.core.management.base import BaseCommand

from grassroots.imports.recovery import recover_stale_imports


class Command(BaseCommand):
    help = "Resume or fail imports left running by a process that died."
    requires_system_checks: list = []

    def handle(self, *args, **options):
        for pk, outcome in recover_stale_imports().items():
            self.stdout.write(f"{pk} {outcome}")
        if options["verbosity"] > 1:
            from grassroots.imports.models import ImportJob
            from grassroots.imports.recovery import RUNNING

            for job in ImportJob.objects.filter(status__in=RUNNING):
                self.stdout.write(f"{job.pk} {job.status} runner={job.runner} heartbeat={job.heartbeat_at}")
