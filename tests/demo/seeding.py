"""Seed tier S (seed 1) with only the named demo steps: a part's demo tests load the foundation and their own
steps, not every part's (tests/demo/conftest.py's `seeded` is the foundation's)."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from grassroots.demo import registry


@contextmanager
def only(steps):
    registry.autodiscover()
    saved = dict(registry._STEPS)
    registry._STEPS.clear()
    registry._STEPS.update({n: s for n, s in saved.items() if n in steps})
    try:
        yield
    finally:
        registry._STEPS.clear()
        registry._STEPS.update(saved)


def seed_only(steps) -> None:
    with only(steps), override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO(), tier="S", seed=1)
