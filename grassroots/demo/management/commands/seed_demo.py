"""manage.py seed_demo --tier S|M|L [--seed N] [--if-empty] [--force]

Loads the demo: 雅安市 with its real divisions, generated levels below them, Party organizations, one demo
account per role and generated residents, then whatever steps other apps register
(grassroots/demo/registry.py).
Reproducible from --seed; running it again adds nothing. See docs/demo.md.
"""

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grassroots.areas.models import Area
from grassroots.demo.registry import SeedContext, autodiscover, registered_steps, run_steps
from grassroots.demo.tiers import TIERS


class Command(BaseCommand):
    help = "Load the demo data (雅安市, its areas, Party organizations, demo accounts and residents)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tier",
            type=str.upper,
            choices=list(TIERS),
            default="S",
            help="S: the demo (default); M: Ya'an-sized, for benchmarks; L: 10× M",
        )
        parser.add_argument("--seed", type=int, default=1, help="same seed, same names (default 1)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any area exists")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even when DEBUG is off (the demo accounts still cannot log in)",
        )

    def handle(self, *args, tier: str, seed: int, if_empty: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to load demo accounts with a published password. "
                "Use --force for a benchmark database (demo accounts cannot log in while DEBUG is off)."
            )
        if if_empty and Area.objects.exists():
            self.stdout.write("Areas exist: demo data not loaded (--if-empty).")
            return
        autodiscover()
        started = time.perf_counter()
        self.stdout.write(f"Seeding tier {tier} (seed {seed}): {TIERS[tier].description}")
        ctx = SeedContext(
            seed=seed,
            tier=TIERS[tier],
            log=self.stdout.write,
            password_hash=make_password(settings.DEMO_PASSWORD),
        )
        # All or nothing: when a step fails, nothing is left behind, so that `make run` (--if-empty) tries
        # again from an empty database next time instead of skipping a half-loaded demo.
        with transaction.atomic():
            run_steps(ctx, registered_steps())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        if options.get("verbosity", 1) >= 1 and settings.DEBUG:
            self.stdout.write(
                f"Demo accounts: {', '.join(ctx.users)} · password {settings.DEMO_PASSWORD!r} (DEBUG only)"
            )
