"""manage.py recover_imports: the stale-job check (grassroots.imports.recovery) for every running import and
background export — resume or fail each one whose process died. The clock runs the same every 5 minutes
(`imports.recover`). Prints "<id> <outcome>" per import and "export <id> <outcome>" per export."""

from django.core.management.base import BaseCommand

from grassroots.imports.recovery import recover_stale_exports, recover_stale_imports


class Command(BaseCommand):
    help = "Resume or fail imports and exports left running by a process that died."
    requires_system_checks: list = []

    def handle(self, *args, **options):
        for pk, outcome in recover_stale_imports().items():
            self.stdout.write(f"{pk} {outcome}")
        for pk, outcome in recover_stale_exports().items():
            self.stdout.write(f"export {pk} {outcome}")
        if options["verbosity"] > 1:
            from grassroots.imports.models import ImportJob
            from grassroots.imports.recovery import RUNNING

            for job in ImportJob.objects.filter(status__in=RUNNING):
                self.stdout.write(f"{job.pk} {job.status} runner={job.runner} heartbeat={job.heartbeat_at}")
