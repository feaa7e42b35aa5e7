"""Data built once per test module, for modules whose every test needs the same expensive rows.

`built_for_the_module(django_db_blocker, build)` runs `build()` inside an outer transaction (entered by
hand), yields what it returned, and rolls the transaction back at the module's end. Each test still runs in
its own savepoint (pytest-django's function-scoped `db`), so a test's writes are rolled back and the
module's rows stay. Use it from a module-scoped fixture that takes `django_db_setup, django_db_blocker`:

    @pytest.fixture(scope="module")
    def _world(django_db_setup, django_db_blocker):
        yield from built_for_the_module(django_db_blocker, lambda: build_cast(build_tree()))

A second module-scoped fixture may call it again on top of the first (a savepoint inside its transaction),
for rows only some of the module's tests want. The instances built are shared by every test of the module:
hand each test `fresh(...)` copies, so that one test's changes in memory do not reach the next.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

from django.db import models, transaction
from django.test import override_settings

CHEAP_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def built_for_the_module(django_db_blocker, build, **settings):
    """Generator for a module-scoped fixture: `build()` inside an outer atomic, rolled back at the end.
    `settings` are overridden while building (the cheap password hasher always: tests/conftest.py's is
    function-scoped and not active yet)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=CHEAP_HASHERS, **settings):
                built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh(namespace: SimpleNamespace) -> SimpleNamespace:
    """A copy of `namespace` whose model instances are read again from the database (other values kept)."""
    return SimpleNamespace(
        **{
            name: type(value)._default_manager.get(pk=value.pk) if isinstance(value, models.Model) else value
            for name, value in vars(namespace).items()
        }
    )
