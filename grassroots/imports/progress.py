"""Where a running job's progress goes.

While validating (and while exporting) no transaction is open: the job row itself is updated, at most every
`INTERVAL` seconds, in autocommit, so that any process reading the database sees it. While writing, the
import holds one transaction; on SQLite that transaction holds the database's write lock, so a second
connection updating the job row would wait for it (and time out). The write phase therefore reports its
progress to the cache only (shared between web and worker when REDIS_URL is set; with the local-memory
cache the page shows an indeterminate bar) and sends `signals.batch_written`. See docs/decisions.md.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from grassroots.imports.registry import Progress
from grassroots.imports.signals import batch_written

logger = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between two updates of the job row
CACHE_SECONDS = 6 * 3600


class TakenOver(Exception):
    """Another run (a retry, the stale-job check) took the job over: this run stops without touching it."""


def cache_key(job) -> str:
    return f"imports:{job._meta.model_name}:{job.pk}:progress"


def live_progress(job) -> dict | None:
    """The progress a running job last reported to the cache ({"status", "done", "total"}), if any."""
    if job.finished:
        return None
    value = cache.get(cache_key(job))
    if value and value.get("status") == job.status:
        return value
    return None


class JobProgress(Progress):
    def __init__(
        self, job, status: str, *, total: int = 0, in_transaction: bool = False, sender=None, runner=None
    ):
        self.job = job
        self.runner = runner  # an import's runner token: progress is saved only while the run owns the job
        self.status = status
        self.total = total
        self.in_transaction = in_transaction
        self.sender = sender
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._last >= INTERVAL or done >= self.total:
            self._last = now
            cache.set(
                cache_key(self.job),
                {"status": self.status, "done": done, "total": self.total},
                CACHE_SECONDS,
            )
            if not self.in_transaction:
                self._save(done)
        if self.in_transaction:
            batch_written.send(sender=self.sender, job=self.job, done=done, total=self.total)

    def _save(self, done: int) -> None:
        jobs = type(self.job).objects.filter(pk=self.job.pk)
        fields = {"status": self.status, "processed_rows": done, "total_rows": self.total}
        if self.runner is not None:
            jobs = jobs.filter(runner=self.runner)
            fields["heartbeat_at"] = timezone.now()  # the run is alive (see recovery.py)
        try:
            saved = jobs.update(**fields)
        except OperationalError:  # SQLite busy with someone else's long write: progress is best effort
            logger.info("progress of %s not saved (database busy)", self.job, exc_info=True)
            return
        if not saved and self.runner is not None:
            raise TakenOver
