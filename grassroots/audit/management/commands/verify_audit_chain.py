from django.core.management.base import BaseCommand

from grassroots.audit import chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit trail, and the heads recorded outside the database "
        "(AUDIT_ANCHOR_FILE): OK, or the first broken link (exit status 1)."
    )

    def handle(self, *args, **options):
        outcome = chain.verify()
        if not outcome.ok:
            self.stderr.write(f"BROKEN at {outcome.broken} (checked {outcome.checked} links before it)")
            raise SystemExit(1)
        anchors, broken = chain.check_anchors()
        if broken is not None:
            self.stderr.write(f"BROKEN at {broken} (against {chain.anchor_file()}, {anchors} lines agreed)")
            raise SystemExit(1)
        self.stdout.write(
            f"OK: {outcome.checked} links from #{outcome.anchor_seq + 1} to #{outcome.head_seq}, "
            f"head {outcome.head_hash}; {anchors} recorded heads agree"
        )
