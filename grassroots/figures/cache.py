"""Figures kept in the cache for `settings.HOME_FIGURES_CACHE_SECONDS` (docs/decisions.md, issue 19): the
officials' home — their area's dashboard — and /dashboard/ read each figure of an area from here, so that a
view within that time costs none of the aggregates; the page says when they were counted (统计于 HH:MM).

An entry is the same for every viewer (the figure's permission is checked per user before the cache is read):
keyed by what was computed and the language. Only plain values are stored (lines, counts, areas), never a
definition (its functions do not pickle)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from grassroots import replica


def freshness() -> int:
    """How long (seconds) figures are kept (0: computed on every view; the test settings turn it off)."""
    return int(getattr(settings, "HOME_FIGURES_CACHE_SECONDS", 0))


def cached(key: str, compute, *, lagging: bool = False):
    """(`compute()`, when it was computed), through the cache for `freshness()` seconds. A computation to be
    kept is made inside `replica.reads()`: figures that may be `freshness()` old may be the replica's lag old
    too (docs/scaling.md). Without the cache, only when `lagging` (the dashboard page, which always read its
    figures from the replica); the home's figures counted on every view stay on the primary (a home may
    follow the user's write)."""
    seconds = freshness()
    if not seconds:
        if not lagging:
            return compute(), timezone.now()
        with replica.reads():
            return compute(), timezone.now()
    key = f"figures:{get_language()}:{key}"
    hit = cache.get(key)
    if hit is None:
        with replica.reads():
            hit = (compute(), timezone.now())
        cache.set(key, hit, seconds)
    return hit
