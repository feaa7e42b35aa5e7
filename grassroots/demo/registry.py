"""The registry of demo seed steps. The foundation registers its steps (areas, Party organizations, demo
accounts, residents) in `grassroots.demo.steps`; any app adds its own in a module `<app>/demo.py`:

    from grassroots.demo.registry import SeedContext, seed_step

    @seed_step(order=200)
    def gatherings(ctx: SeedContext) -> None:
        if Gathering.objects.filter(under_q(ctx.city.path)).exists():
            return  # idempotent: the rows of this step are there already
        for community in ctx.communities[:50]:
            ...  # names from ctx.rng, people from ctx.users / ctx.places

Steps run in `order` (then name), each inside its own transaction, each with its own `random.Random` seeded
from the seed number and the step's name, so that adding a step never changes the names another step makes.
See docs/demo.md.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from grassroots.demo.tiers import Tier


def local_today() -> date:
    """The demo's today: the local date (settings.TIME_ZONE), whose year is "this year" for every step.
    Never UTC's: at 00:20 on 1 January (+08:00) UTC's year is still the old one (CI's New Year clock)."""
    return timezone.localdate()


def local_year() -> int:
    return local_today().year


@dataclass
class SeedContext:
    """What the steps share. Filled by the foundation steps, on the first run and on later runs alike
    (a step that finds its rows loads them instead of creating them)."""

    seed: int
    tier: Tier
    log: Callable[[str], None] = print
    rng: random.Random = field(default_factory=random.Random)
    city: object = None  # Area 雅安市
    counties: list = field(default_factory=list)  # Area, code order
    streets: list = field(default_factory=list)  # Area, path order
    communities: list = field(default_factory=list)  # Area, path order
    # Named places of the demo accounts: city, county (雨城区), street (东城街道), community (东大街社区),
    # grid (its first grid), home (a courtyard or building in that grid).
    places: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)  # demo accounts by username (one per role)
    password_hash: str = ""  # settings.DEMO_PASSWORD, hashed once for every demo account
    timings: dict[str, float] = field(default_factory=dict)
    peaks_mb: dict[str, float] = field(default_factory=dict)  # the process's peak RSS after each step

    def rng_for(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")


@dataclass(frozen=True)
class SeedStep:
    name: str
    order: int
    func: Callable[[SeedContext], None]

    @property
    def origin(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_STEPS: dict[str, SeedStep] = {}


def seed_step(*, order: int, name: str | None = None):
    """Register a function `f(ctx: SeedContext) -> None` as a seed step. It must be idempotent: check whether
    its rows exist and do nothing (or only load what later steps need) when they do."""

    def decorator(func: Callable[[SeedContext], None]):
        step = SeedStep(name=name or func.__name__, order=order, func=func)
        existing = _STEPS.get(step.name)
        if existing and existing.origin != step.origin:
            raise ValueError(f"seed step {step.name!r} is registered twice: {existing.origin}, {step.origin}")
        _STEPS[step.name] = step
        return func

    return decorator


def autodiscover() -> None:
    """Import the foundation steps and every project app's `demo` module."""
    import_module("grassroots.demo.steps")
    for config in apps.get_app_configs():
        if config.name.startswith("grassroots.") and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")


def registered_steps() -> list[SeedStep]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_steps(ctx: SeedContext, steps: list[SeedStep] | None = None) -> SeedContext:
    """Each step in its transaction; its time and the peak memory after it are logged, so that a step that
    holds too much shows where the peak grew."""
    for step in steps if steps is not None else registered_steps():
        ctx.rng = ctx.rng_for(step.name)
        started, before = time.perf_counter(), peak_rss_mb()
        with transaction.atomic():
            step.func(ctx)
        ctx.timings[step.name] = time.perf_counter() - started
        ctx.peaks_mb[step.name] = peak = peak_rss_mb()
        grew = f" (+{peak - before:.0f})" if peak - before >= 1 else ""
        ctx.log(f"  {step.name:<14} {ctx.timings[step.name]:7.2f} s   peak {peak:6.0f} MB{grew}")
    return ctx
