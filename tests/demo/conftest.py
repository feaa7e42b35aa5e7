"""Fixtures of the demo tests.

`seeded`: tier S (seed 1) loaded once per test module inside an outer transaction, rolled back after the
module; each test still runs in its own savepoint (pytest-django's `db`), so a test may write. Tests that
need an empty database (idempotence, reproducibility, --if-empty) use `seed_demo` instead.

Both run the foundation's steps only (and steps registered by the tests themselves): other apps' demo
steps are tested by those apps, and one test here (`all_steps=True`) runs every registered step.
"""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.demo import registry
from grassroots.demo.registry import autodiscover
from tests.module_data import built_for_the_module

FOUNDATION = {"areas", "party_orgs", "users", "residents"}


@contextmanager
def foundation_steps_only():
    autodiscover()
    saved = dict(registry._STEPS)
    registry._STEPS.clear()
    registry._STEPS.update(
        {n: s for n, s in saved.items() if n in FOUNDATION or s.func.__module__.startswith("tests.")}
    )
    try:
        yield
    finally:
        registry._STEPS.clear()
        registry._STEPS.update(saved)


def _seed(all_steps: bool = False, **options) -> str:
    out = StringIO()
    if all_steps:
        call_command("seed_demo", stdout=out, **{"tier": "S", "seed": 1, **options})
    else:
        with foundation_steps_only():
            call_command("seed_demo", stdout=out, **{"tier": "S", "seed": 1, **options})
    return out.getvalue()


def _loaded_for_the_module(django_db_blocker, all_steps: bool = False):
    """Seed inside an outer transaction that the module's end rolls back (tests/module_data.py); yields
    the command's output. DEBUG on for the loader."""
    yield from built_for_the_module(django_db_blocker, lambda: _seed(all_steps=all_steps), DEBUG=True)


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    yield from _loaded_for_the_module(django_db_blocker)


@pytest.fixture(scope="module")
def whole_demo(django_db_setup, django_db_blocker):
    """The whole demo (tier S, seed 1, every app's steps), loaded once per test module like `seeded`."""
    yield from _loaded_for_the_module(django_db_blocker, all_steps=True)


@pytest.fixture
def seeded(_seeded_module, db):
    """The output of `seed_demo --tier S --seed 1`, its rows in the database."""
    return _seeded_module


@pytest.fixture
def seed_demo(db, settings):
    """seed_demo(**options) → runs `manage.py seed_demo` (tier S, seed 1 unless given) with DEBUG on;
    `all_steps=True` runs every registered step, not only the foundation's."""
    settings.DEBUG = True
    return _seed
