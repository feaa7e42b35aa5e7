from django.core.management.base import BaseCommand

from grassroots.audit import chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail: OK, or the first broken link (exit status 1)."

    def handle(self, *args, **options):
        outcome = chain.verify()
        if outcome.ok:
            self.stdout.write(
                f"OK: {outcome.checked} links from #{outcome.anchor_seq + 1} to #{outcome.head_seq}, "
                f"head {outcome.head_hash}"
            )
            return
        self.stderr.write(f"BROKEN at {outcome.broken} (checked {outcome.checked} links before it)")
        raise SystemExit(1)
