"""Settings for CI's benchmark smoke only (bench/harness.py --smoke): production settings, with the schema
created straight from the models (`migrate --run-syncdb`, as the test suite's --nomigrations does) instead of
replaying every migration, which takes minutes on a loaded machine. The real run (`make bench`) migrates."""

from grassroots.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, item) -> bool:
        return True

    def __getitem__(self, item) -> None:
        return None


MIGRATION_MODULES = _NoMigrations()
