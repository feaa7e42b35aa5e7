"""Backup and restore: a round trip through `manage.py backup` and `manage.py restore` gives back every table
(row counts and content checksums) and every uploaded file, on SQLite and on PostgreSQL (when pg_dump is
installed); a restore that does not match its manifest says so."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from grassroots.areas.models import Area, PartyOrg
from grassroots.clock import registry
from grassroots.operations import backup
from grassroots.operations.tasks import backup_daily
from tests.factories import make_party_org


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "a.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    (settings.MEDIA_ROOT / "照片.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def engine():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    return connection.vendor


def live(engine):
    return backup._live_tables(engine, "default")


def run_backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output-dir", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("grassroots-*.tar.gz")
    assert str(archive) in out.getvalue()
    return archive


def test_round_trip_gives_back_every_table_and_file(transactional_db, engine, cast, tree, media, tmp_path):
    org = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    before_tables, before_files = live(engine), backup.fingerprint_files(media)
    assert before_tables["areas_area"]["rows"] == 8 and before_tables["django_migrations"]["rows"] > 50

    archive = run_backup(tmp_path)
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: readable by its owner only
    manifest = backup.read_manifest(archive)
    assert manifest["engine"] == engine
    assert manifest["tables"] == before_tables  # every table, as it was
    assert manifest["files"] == before_files and len(before_files) == 2

    # life goes on: rows change, rows go, rows come, a later migration adds a table, files change
    Area.objects.filter(pk=tree.city.pk).update(name="改名市")
    PartyOrg.objects.filter(pk=org.pk).delete()
    make_party_org("新支部", tree.community_a)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_table (id integer PRIMARY KEY)")
    (media / "照片.jpg").write_bytes(b"changed")
    (media / "imports" / "a.xlsx").unlink()
    (media / "new.pdf").write_bytes(b"%PDF-")
    assert live(engine) != before_tables

    out = io.StringIO()
    call_command("restore", str(archive), "--no-input", stdout=out)
    assert "verified" in out.getvalue()
    assert live(engine) == before_tables
    assert backup.fingerprint_files(media) == before_files
    assert Area.objects.get(pk=tree.city.pk).name == "雅安市"
    assert PartyOrg.objects.filter(pk=org.pk).exists() and not PartyOrg.objects.filter(name="新支部").exists()
    # the files that were there are kept aside, not lost
    (aside,) = media.parent.glob("media.before-restore-*")
    assert (aside / "new.pdf").read_bytes() == b"%PDF-"


def test_a_restore_that_does_not_match_its_manifest_fails(transactional_db, engine, tree, media, tmp_path):
    archive = run_backup(tmp_path)
    # an archive whose manifest disagrees with its database (a damaged or tampered backup)
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                manifest["tables"]["areas_area"]["rows"] += 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="areas_area: expected"):
        call_command("restore", str(forged), "--no-input", "--no-media")


def test_refusals(transactional_db, engine, tmp_path, monkeypatch):
    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a Grassroots backup"):
        call_command("restore", str(tmp_path / "junk.tar.gz"), "--no-input")
    archive = run_backup(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_keep_prunes_the_oldest_archives(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"grassroots-2026120{day}-020000.tar.gz").write_bytes(b"")
    (folder / "other.tar.gz").write_bytes(b"")
    deleted = backup.prune_backups(folder, keep=2)
    assert [p.name for p in deleted] == [f"grassroots-2026120{d}-020000.tar.gz" for d in (1, 2, 3)]
    assert sorted(p.name for p in folder.iterdir()) == [
        "grassroots-20261204-020000.tar.gz",
        "grassroots-20261205-020000.tar.gz",
        "other.tar.gz",
    ]


def test_the_clock_backs_up_nightly_into_the_configured_directory_keeping_n(
    transactional_db, engine, tree, media, tmp_path, settings
):
    entry = {e.name: e for e in registry.entries()}["operations.backup"]
    assert entry.task_path == "grassroots.operations.tasks.backup_daily" and entry.cron == "30 2 * * *"
    settings.BACKUP_DIR, settings.BACKUP_KEEP = tmp_path / "nightly", 2
    settings.BACKUP_DIR.mkdir()
    for day in (1, 2):  # archives of earlier nights
        (settings.BACKUP_DIR / f"grassroots-2020010{day}-023000.tar.gz").write_bytes(b"")
    result = backup_daily.call()
    archive = settings.BACKUP_DIR / result["archive"]
    assert result["deleted"] == ["grassroots-20200101-023000.tar.gz"] and result["files"] == 2
    assert sorted(p.name for p in settings.BACKUP_DIR.iterdir()) == [
        "grassroots-20200102-023000.tar.gz",
        archive.name,
    ]
    assert backup.read_manifest(archive)["tables"]["areas_area"]["rows"] == Area.objects.count()
    settings.BACKUP_KEEP = 0  # the clock's backup turned off
    assert backup_daily.call() == {"skipped": "BACKUP_KEEP=0"}


def test_postgresql_connection_options_reach_the_client_tools(monkeypatch):
    from django.db import connections

    fake = {"NAME": "gr", "USER": "u", "PASSWORD": "p", "HOST": "db", "PORT": 5432}
    fake["OPTIONS"] = {"sslmode": "require", "pool": True, "server_side_binding": True}
    monkeypatch.setattr(connections["default"], "settings_dict", fake)
    monkeypatch.setenv("PGSERVICE", "elsewhere")  # a stray variable of the shell does not steer the tools
    assert backup._pg_params() == {
        "dbname": "gr",
        "user": "u",
        "password": "p",
        "host": "db",
        "port": "5432",
        "sslmode": "require",
    }
    env = backup._pg_env()
    assert (env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == ("db", "5432", "require")
    assert env["PGPASSWORD"] == "p"
    assert "PGSERVICE" not in env
