from django.core.management.base import BaseCommand, CommandError

from grassroots.voting.models import Vote, VoteStatus
from grassroots.voting.services.chain import verify_ballot_chain


class Command(BaseCommand):
    help = (
        "Verify the ballot chain of every published and closed vote (or of one, --vote ID): OK, or the first "
        "broken link, per vote (exit status 1 when any chain is broken)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vote", type=int, metavar="ID", help="only this vote")

    def handle(self, *args, **options):
        if options["vote"] is not None:
            chosen = Vote.objects.filter(pk=options["vote"])
            if not chosen.exists():
                raise CommandError(f"no vote #{options['vote']}")
        else:
            chosen = Vote.objects.filter(status__in=[VoteStatus.PUBLISHED, VoteStatus.CLOSED])
        broken = 0
        for vote in chosen.order_by("pk"):
            fault = verify_ballot_chain(vote)
            if fault is None:
                count = vote.ballots.count()
                self.stdout.write(f"OK: vote #{vote.pk} {vote.title}: {count} ballots")
            else:
                broken += 1
                self.stderr.write(f"BROKEN: vote #{vote.pk} {vote.title}: {fault}")
        if broken:
            self.stderr.write(f"{broken} of {chosen.count()} votes have a broken ballot chain")
            raise SystemExit(1)
        self.stdout.write(f"OK: {chosen.count()} votes verified")
