"""The read replica (grassroots/replica.py, docs/scaling.md): the suite runs with the alias `replica`
configured as a test mirror of `default` (tests/settings.py) — a second connection to the same database.

- The router's choices: reads go to `replica` only inside `replica.reads()` and outside any transaction
  on `default`; writes always go to `default`; migrations only on `default`.
- With committed rows (transactional tests: a test case's own transaction is not seen by the mirror's
  connection on PostgreSQL), the dashboard, the figures' API and a list export — at once and in the
  background — read their figures and rows through `replica`, and show what `default` holds.
- A form's POST and the page its redirect opens, and a service called inside `reads()`, stay on `default`.
"""

from __future__ import annotations

import pytest
from django.db import connection, connections, migrations, router, transaction
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots import replica
from grassroots.areas.models import Area
from grassroots.cogov import services
from grassroots.cogov.models import Partner
from grassroots.imports.models import ExportJob
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import read_xlsx

pytestmark = pytest.mark.usefixtures("transactional_db")


def sql_of(captured) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


class Both:
    """The queries of `default` and of `replica` during a block, apart."""

    def __enter__(self):
        self.default = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.default.__exit__(*exc)


# --- the router's choices ---------------------------------------------------------------------------------


def test_reads_go_to_the_replica_only_when_asked_for_and_never_inside_a_transaction():
    assert router.db_for_read(Area) == "default"
    with replica.reads():
        assert router.db_for_read(Area) == "replica"
        assert router.db_for_read(Partner, instance=Partner()) == "replica"
        with transaction.atomic():  # a write path: its reads see its writes
            assert router.db_for_read(Area) == "default"
        assert router.db_for_read(Area) == "replica"
        assert ExportJob.objects.select_for_update().filter(pk=0).db == "default"  # for a write
    assert router.db_for_read(Area) == "default"
    assert router.db_for_write(Area) == "default"


def test_a_model_written_inside_reads_is_read_from_default_from_then_on():
    with replica.reads():
        assert router.db_for_read(Partner) == "replica"
        assert router.db_for_write(Partner) == "default"
        assert router.db_for_read(Partner) == "default"  # its own write, maybe not replicated yet
        assert router.db_for_read(Area) == "replica"
        with replica.reads():  # a nested block is the same block
            assert router.db_for_read(Partner) == "default"
    with replica.reads():  # a new block
        assert router.db_for_read(Partner) == "replica"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_without_a_replica_every_read_stays_on_default(settings):
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    with replica.reads():
        assert replica.read_alias() == "default"


def test_migrations_run_on_default_only():
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        assert router.allow_migrate_model("default", model), model
        assert not router.allow_migrate_model("replica", model), model
    # an operation of a migration applied through the replica's connection does nothing there
    operation = migrations.RunSQL("CREATE TABLE replica_probe (id integer)", "DROP TABLE replica_probe")
    state = ProjectState()
    with connections["replica"].schema_editor() as editor:
        operation.database_forwards("portal", editor, state, state)
    assert "replica_probe" not in connection.introspection.table_names()


# --- the dashboard and the figures' API -------------------------------------------------------------------


def test_the_dashboard_reads_its_figures_through_the_replica(client_for, cast, tree, data):
    client = client_for(cast.street_a)
    with Both() as seen:
        page = client.get("/dashboard/", {"figure": "members.lost_contact"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-child="{tree.community_a.pk}"' in html  # the rows committed on default, read on replica
    assert "members_member" in sql_of(seen.replica)
    assert len(seen.replica.captured_queries) >= 3  # totals, the breakdown, the trend
    assert "django_session" in sql_of(seen.default)  # the user, their scope and worklists on default


def test_the_figures_api_reads_through_the_replica(api_for, cast, tree, data):
    with Both() as seen:
        response = api_for(cast.street_a).get(
            "/api/figures/members.lost_contact/", {"area": tree.street_a.pk}
        )
    assert response.status_code == 200, response.content
    assert response.json()["total"]["value"] == 1  # 乙 in 桥楼社区's branch
    assert seen.replica.captured_queries


def test_the_homes_figures_come_from_the_replica_only_while_they_are_cached(client_for, cast, tree, settings):
    from django.core.cache import cache

    client = client_for(cast.city)
    settings.HOME_FIGURES_CACHE_SECONDS = 0  # counted on every view: the page may follow a write
    with Both() as seen:
        assert client.get(reverse("portal:home")).status_code == 200
    assert seen.replica.captured_queries == []
    settings.HOME_FIGURES_CACHE_SECONDS = 300
    cache.clear()
    try:
        with Both() as seen:
            assert client.get(reverse("portal:home")).status_code == 200
    finally:
        cache.clear()
    assert "accounts_user" in sql_of(seen.replica)  # the counts of residents
    assert "accounts_rolegrant" in sql_of(seen.default)  # the user's own grants: from the primary


# --- the exports --------------------------------------------------------------------------------------------


def _partners(cast, tree, n):
    for i in range(n):
        services.save_partner(actor=cast.city, name=f"共建单位{i}", kind="school", area=tree.community_a)


def test_an_export_reads_its_rows_through_the_replica(client_for, cast, tree):
    _partners(cast, tree, 3)
    with Both() as seen:
        response = client_for(cast.street_a).post(reverse("imports:list_export", args=["cogov-partners"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["共建单位"]
    assert len(rows) == 4  # the header and the three partners
    assert "cogov_partner" in sql_of(seen.replica)
    assert "audit" in sql_of(seen.default)  # the export's audit entry is written on default
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for query in seen.replica.captured_queries
    )


def test_a_background_export_reads_rows_on_the_replica_and_keeps_its_job_on_default(
    client_for, cast, tree, settings
):
    settings.EXPORTS_SYNC_MAX_ROWS = 1
    _partners(cast, tree, 2)
    response = client_for(cast.street_a).post(reverse("imports:list_export", args=["cogov-partners"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    from grassroots.imports.runner import run_export_job

    with Both() as seen:
        run_export_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("done", 2)
    assert "cogov_partner" in sql_of(seen.replica)
    assert "imports_exportjob" not in sql_of(seen.replica)  # the job just written: read on default
    assert "imports_exportjob" in sql_of(seen.default)


def test_the_dashboard_export_reads_through_the_replica(client_for, cast, tree, data):
    with Both() as seen:
        response = client_for(cast.street_a).post(
            reverse("imports:list_export", args=["figures-dashboard"]) + "?figure=members.lost_contact"
        )
    assert response.status_code == 200
    assert seen.replica.captured_queries


# --- read after write -------------------------------------------------------------------------------------


def test_a_form_post_and_the_page_after_it_stay_on_default(client_for, cast, tree):
    client = client_for(cast.city)
    with Both() as seen:
        response = client.post(
            reverse("cogov:partner_create"),
            {
                "name": "桥楼中学",
                "kind": "school",
                "area": tree.community_a.pk,
                "entity": "",
                "party_org": "",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert response.redirect_chain, response.content.decode()[:2000]
    assert "桥楼中学" in response.content.decode()
    assert seen.replica.captured_queries == []
    assert Partner.objects.filter(name="桥楼中学").exists()


def test_a_service_called_inside_reads_stays_on_default(cast, tree):
    """No code path calls a service inside `reads()` (it wraps read-only code); if one did, its transaction
    and the read back of what it wrote go to `default`."""
    with Both() as seen, replica.reads():
        partner = services.save_partner(
            actor=cast.city, name="育才小学", kind="school", area=tree.community_a
        )
    assert seen.replica.captured_queries == []
    assert partner.pk and "cogov_partner" in sql_of(seen.default)


# --- the setting --------------------------------------------------------------------------------------------

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []))"
)


def _settings_with(**env):
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    environment |= {"DJANGO_SETTINGS_MODULE": "grassroots.settings", "DEBUG": "1", **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, timeout=60
    )


def test_database_replica_url_adds_the_alias_and_the_router(tmp_path):
    primary = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    without = _settings_with(DATABASE_URL=primary)
    assert without.stdout.strip() == "['default'] []", without.stderr
    found = _settings_with(DATABASE_URL=primary, DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert found.stdout.strip() == "['default', 'replica'] ['grassroots.replica.ReplicaRouter']", found.stderr
    mixed = _settings_with(DATABASE_URL=primary, DATABASE_REPLICA_URL="postgres://app@replica/grassroots")
    assert mixed.returncode != 0 and "DATABASE_REPLICA_URL" in mixed.stderr


# --- the lag ----------------------------------------------------------------------------------------------


def test_the_lag_of_the_mirror_is_zero_and_the_reads_go_to_it(settings):
    replica.forget_lag()
    with CaptureQueriesContext(connections["replica"]) as asked:
        assert replica.lag_seconds() == 0
        assert replica.lag_seconds() == 0  # kept: asked once
    expected = 1 if connections["replica"].vendor == "postgresql" else 0  # SQLite: nothing to ask
    assert len(asked.captured_queries) == expected
    if expected:
        assert "pg_last_xact_replay_timestamp" in asked.captured_queries[0]["sql"]
    with replica.reads():
        assert router.db_for_read(Area) == "replica"


def test_a_replica_further_behind_than_allowed_is_not_read(settings, tree):
    replica.forget_lag()
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = -1  # the mirror's lag (0) is over it: a replica behind
    with replica.reads():
        assert router.db_for_read(Area) == "default"
    with Both() as seen, replica.reads():
        assert Area.objects.filter(pk=tree.street_a.pk).exists()
    assert seen.replica.captured_queries == [] or all(
        "pg_last_xact_replay_timestamp" in q["sql"] for q in seen.replica.captured_queries
    )
    assert "areas_area" in sql_of(seen.default)
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    with replica.reads():
        assert router.db_for_read(Area) == "replica"


def test_the_lag_is_asked_again_only_after_the_interval(settings):
    replica.forget_lag()
    settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 0  # every block asks
    with CaptureQueriesContext(connections["replica"]) as asked:
        for _ in range(3):
            with replica.reads():
                router.db_for_read(Area)
                router.db_for_read(Partner)  # once per block, not per read
    expected = 3 if connections["replica"].vendor == "postgresql" else 0
    assert len(asked.captured_queries) == expected
