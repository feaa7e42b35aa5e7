"""`manage.py scheduler`: the clock. Ticks until stopped, enqueueing each periodic task once per period for
`manage.py db_worker` to run. Any number may run at once (the database keeps each period to one run)."""

import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from grassroots.clock import registry, services


class Command(BaseCommand):
    help = "Run the clock: enqueue every periodic task once per period (Ctrl-C or SIGTERM stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Tick once and exit (for cron or a check).")
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Longest sleep between ticks, in seconds (default 30).",
        )

    def handle(self, *args, once: bool = False, interval: float = 30.0, **options):
        self.stopping = threading.Event()
        name = f"{socket.gethostname()}:{os.getpid()}"
        if once:
            self._tick(name)
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        entries = registry.entries()
        self.stdout.write(
            f"scheduler {name}: {len(entries)} periodic tasks, in {timezone.get_default_timezone()}"
        )
        for entry in entries:
            self.stdout.write(f"  {entry.cron:<16} {entry.name}")
        while not self.stopping.is_set():
            close_old_connections()
            self._tick(name)
            close_old_connections()
            self.stopping.wait(self._sleep(interval))
        self.stdout.write(f"scheduler {name}: stopped")

    def _tick(self, name: str) -> None:
        try:
            for run in services.tick(scheduler=name):
                self.stdout.write(
                    f"{timezone.localtime():%Y-%m-%d %H:%M:%S} enqueued {run.name} ({run.slot:%H:%M})"
                )
        except DatabaseError as exc:  # the database is away: keep ticking, it catches up when it returns
            self.stderr.write(f"scheduler {name}: tick failed: {exc}")

    def _sleep(self, interval: float) -> float:
        """Until the next moment due (plus a second, so the tick lands after it), at most `interval`."""
        now = timezone.now()
        soonest = min((e.next_slot(now) for e in registry.entries()), default=None)
        if soonest is None:
            return interval
        return max(1.0, min(interval, (soonest - now).total_seconds() + 1))
