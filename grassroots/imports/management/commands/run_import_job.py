"""manage.py run_import_job <id> [--retry]: run a recorded import in this process (what the worker does),
e.g. for a job left half-way by a killed worker (nothing of it was written: --retry takes it over and runs
it again). Idempotent: a finished job is left as it is, and a job is written at most once."""

from django.core.management.base import BaseCommand

from grassroots.imports.runner import run_import_job


class Command(BaseCommand):
    help = "Run a recorded import job in this process."
    requires_system_checks: list = []  # a worker's command: start at once

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument("--retry", action="store_true", help="run a job left validating or writing")

    def handle(self, *args, job_id: int, retry: bool, **options):
        job = run_import_job(job_id=job_id, retry=retry)
        self.stdout.write(f"{job.pk} {job.status} {job.counts} errors={job.error_count}")
