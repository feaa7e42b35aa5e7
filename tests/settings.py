"""Settings of the test suite: the project's settings as `make run` has them, with DEBUG=1 in the environment
(DEBUG defaults to off: production fails closed). pytest-django still runs each test with DEBUG False; tests
about production switch settings themselves or start a process with DEBUG=0
(tests/accounts/test_production.py)."""

import os

os.environ.setdefault("DEBUG", "1")

from grassroots.settings import *  # noqa: F403

# The clock's nightly backup would archive the test database into var/backups whenever a test runs the
# platform's periodic tasks: off here; tests/ops/test_backup.py turns it on into a scratch directory.
BACKUP_KEEP = 0

# The clock's hourly anchor of the audit chain's head goes to a scratch file, not the project's var/ (each
# test gets its own: tests/conftest.py own_audit_anchor_file).
import tempfile  # noqa: E402

AUDIT_ANCHOR_FILE = Path(tempfile.gettempdir()) / f"grassroots-test-anchors-{os.getpid()}.log"  # noqa: F405

# The voting limits (grassroots/voting/limits.py) count in the one cache every test shares, keyed by user ids
# that the database reuses between tests: out of the way here; tests/voting/test_paths.py sets real rates.
VOTING_RATE_LIMITS = {
    "ballot": "10000/min",
    "ballot_address": "10000/min",
    "code": "10000/min",
    "receipt": "10000/min",
}

# The home page's figures are counted on every view in tests (the cache is shared by every test, and the ids
# and paths it would be keyed by are reused); tests/portal/test_home_cache.py turns the cache on.
HOME_FIGURES_CACHE_SECONDS = 0

# PostgreSQL: a commit of the suite does not wait for the WAL to reach the disk (a crash could lose the last
# commits of a test database, which is thrown away anyway). Each worker's migrations, the transactional tests
# and their flushes commit thousands of times: three of those files ran in 97 s and 34 s instead of 173 s and
# 114 s (docs/decisions.md, "Tests on PostgreSQL: no synchronous commit").
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405

# The read replica (grassroots/replica.py) is configured in every run of the suite: a second alias on the
# same test database (Django's test mirror), so that the router's choices are made by every test. Inside a
# test case's transaction every read stays on `default` (a read in a transaction goes there); tests marked
# transactional read through `replica` what `default` committed (tests/ops/test_replica.py).
import copy  # noqa: E402

DATABASES["replica"] = copy.deepcopy(DATABASES["default"])  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
DATABASE_ROUTERS = ["grassroots.replica.ReplicaRouter"]
