"""Backup and restore of the database and the uploaded files, as one archive.

`grassroots-YYYYmmdd-HHMMSS.tar.gz` holds
- `manifest.json`: when, the database engine, for every table its row count and a SHA-256 of its content, for
  every file its size and SHA-256;
- `database.sqlite3` (SQLite: the online backup API, consistent while the platform runs) or
  `database.pgdump` (PostgreSQL: `pg_dump` custom format, taken in the very snapshot the manifest's checksums
  were computed in, so they describe the dump exactly);
- `media/…`: the files under MEDIA_ROOT (uploads, import files, exports), unless left out.

`restore_archive` puts the database back (SQLite: the backup API into the live file; PostgreSQL:
`pg_restore` piped into `psql --single-transaction`, dropping tables the backup does not have, all or
nothing), moves the current MEDIA_ROOT aside and unpacks the files, then checks every table and file against
the manifest. Stop the web and worker processes before restoring (docs/operations.md).

A table's checksum is the sum (mod 2^256) of the SHA-256 of each row's values: independent of row order (no
sort of big tables, no type that cannot be ordered), sensitive to every value and to duplicated rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "grassroots-"
SUFFIX = ".tar.gz"
CHUNK_ROWS = 2000
FILE_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead or did not verify; the message says why."""


# --- the database's content as data -------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_digest(row) -> int:
    parts = []
    for value in row:
        if isinstance(value, (bytes, bytearray, memoryview)):
            parts.append("b:" + bytes(value).hex())
        else:
            parts.append(repr(value))
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest(), "big")


def fingerprint_tables(dbapi_connection, table_names: list[str], *, server_side: bool = False) -> dict:
    """{table: {"rows": n, "sha256": hex}} for each table, read through a plain DB-API connection."""
    result = {}
    for index, table in enumerate(table_names):
        if server_side:  # psycopg: a named cursor streams the rows instead of loading the table
            cursor = dbapi_connection.cursor(name=f"grassroots_backup_{index}")
        else:
            cursor = dbapi_connection.cursor()
        cursor.execute(f"SELECT * FROM {_quote(table)}")  # names come from the catalogue
        rows, total = 0, 0
        while batch := cursor.fetchmany(CHUNK_ROWS):
            rows += len(batch)
            for row in batch:
                total = (total + _row_digest(row)) % (1 << 256)
        cursor.close()
        result[table] = {"rows": rows, "sha256": f"{total:064x}"}
    return result


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def _pg_tables(conn) -> list[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [name for (name,) in rows]


# --- connections outside Django's: plain values, their own transactions -----------------------------------


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sqlite_connect(alias: str = "default") -> sqlite3.Connection:
    name = str(connections[alias].settings_dict["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)


# libpq's connection parameters (also in DATABASES OPTIONS, e.g. ?sslmode=require) and their variables,
# which pg_dump, pg_restore and psql read.
LIBPQ_VARIABLES = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


def _pg_params(alias: str = "default") -> dict[str, str]:
    s = connections[alias].settings_dict
    params = {"dbname": s["NAME"], "user": s.get("USER"), "password": s.get("PASSWORD")}
    params |= {"host": s.get("HOST"), "port": str(s.get("PORT") or "")}
    params |= {k: v for k, v in (s.get("OPTIONS") or {}).items() if k in LIBPQ_VARIABLES}
    return {k: str(v) for k, v in params.items() if v}


def _pg_env(alias: str = "default") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({LIBPQ_VARIABLES[k]: v for k, v in _pg_params(alias).items()})
    return env


def _pg_connect(alias: str = "default"):
    import psycopg

    conn = psycopg.connect(**_pg_params(alias))
    conn.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian/Ubuntu: apt-get install postgresql-client)")
    return path


# --- files ------------------------------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(FILE_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint_files(root: Path) -> dict:
    """{relative path: {"size": n, "sha256": hex}} of every file under `root` (none when it is missing)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): {"size": path.stat().st_size, "sha256": _file_digest(path)}
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# --- backup -----------------------------------------------------------------------------------------------


@dataclass
class Backup:
    path: Path
    manifest: dict


def _dump_database(engine: str, target_dir: Path, alias: str) -> tuple[str, dict]:
    """Write the database file into `target_dir`; return its name and the tables' fingerprints."""
    if engine == "sqlite":
        name = "database.sqlite3"
        source, copy = _sqlite_connect(alias), sqlite3.connect(target_dir / name)
        try:
            source.backup(copy)
            tables = fingerprint_tables(copy, _sqlite_tables(copy))
        finally:
            copy.close()
            source.close()
        return name, tables
    import psycopg

    name = "database.pgdump"
    pg_dump = _tool("pg_dump")
    conn = _pg_connect(alias)
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        done = subprocess.run(
            [*command, f"--file={target_dir / name}"], env=_pg_env(alias), capture_output=True, text=True
        )
        if done.returncode != 0:
            raise BackupError("pg_dump failed: " + done.stderr.strip())
        tables = fingerprint_tables(conn, _pg_tables(conn), server_side=True)
        conn.rollback()
    finally:
        conn.close()
    return name, tables


def create_backup(*, output_dir: Path, media: bool = True, alias: str = "default") -> Backup:
    """Write one archive of the database (and MEDIA_ROOT) into `output_dir`; readable by its owner only."""
    engine = _engine(alias)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().astimezone(timezone.get_current_timezone())
    final = output_dir / f"{PREFIX}{stamp:%Y%m%d-%H%M%S}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        work_dir = Path(work)
        database_name, tables = _dump_database(engine, work_dir, alias)
        media_root = Path(settings.MEDIA_ROOT)
        files = fingerprint_files(media_root) if media else {}
        manifest = {
            "format": FORMAT,
            "created_at": stamp.isoformat(),
            "engine": engine,
            "database": database_name,
            "tables": tables,
            "media": media,
            "files": files,
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = work_dir / "archive.tar.gz"
        old_umask = os.umask(0o077)
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(work_dir / MANIFEST, arcname=MANIFEST)
                tar.add(work_dir / database_name, arcname=database_name)
                for relative in files:
                    tar.add(media_root / relative, arcname=f"media/{relative}")
        finally:
            os.umask(old_umask)
        os.chmod(partial, 0o600)
        partial.replace(final)
    return Backup(final, manifest)


def prune_backups(output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives in `output_dir`; return what was deleted."""
    archives = sorted(output_dir.glob(f"{PREFIX}*{SUFFIX}"))
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def scheduled_backup() -> dict:
    """The nightly backup (the clock's `operations.backup`): an archive into settings.BACKUP_DIR, then all
    but the BACKUP_KEEP newest archives there deleted. BACKUP_KEEP=0 turns it off. Returns what it did."""
    keep = settings.BACKUP_KEEP
    if keep <= 0:
        return {"skipped": "BACKUP_KEEP=0"}
    output_dir = Path(settings.BACKUP_DIR)
    made = create_backup(output_dir=output_dir, media=settings.BACKUP_MEDIA)
    deleted = prune_backups(output_dir, keep)
    tables = made.manifest["tables"]
    return {
        "archive": made.path.name,
        "tables": len(tables),
        "rows": sum(t["rows"] for t in tables.values()),
        "files": len(made.manifest["files"]),
        "deleted": [path.name for path in deleted],
    }


# --- restore ----------------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            handle = tar.extractfile(MANIFEST)
            manifest = json.loads(handle.read()) if handle else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} is not a Grassroots backup: {exc}") from exc
    if not manifest or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format")
    return manifest


def _restore_sqlite(database: Path, alias: str) -> None:
    connections[alias].close()
    source, live = sqlite3.connect(database), _sqlite_connect(alias)
    try:
        source.backup(live)  # all pages in one step: the live file changes at once
    finally:
        live.close()
        source.close()


def _restore_pg(database: Path, tables: dict, alias: str) -> None:
    connections[alias].close()
    conn = _pg_connect(alias)
    try:
        extra = [t for t in _pg_tables(conn) if t not in tables]
    finally:
        conn.close()
    env = _pg_env(alias)
    pg_restore = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-"]
    psql = [_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    with (
        subprocess.Popen([*pg_restore, str(database)], stdout=subprocess.PIPE, env=env) as reader,
        subprocess.Popen(psql, stdin=subprocess.PIPE, env=env, **quiet) as writer,
    ):
        # Tables the backup does not have (a later migration's) go in the same transaction as the restore.
        try:
            for table in extra:
                writer.stdin.write(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE;\n".encode())
            shutil.copyfileobj(reader.stdout, writer.stdin)
            writer.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: its message says which
            reader.kill()
        errors = writer.stderr.read().decode(errors="replace")
    if reader.returncode != 0 or writer.returncode != 0:
        raise BackupError("the restore failed and was rolled back: " + errors.strip())


def _live_tables(engine: str, alias: str) -> dict:
    if engine == "sqlite":
        conn = _sqlite_connect(alias)
        try:
            return fingerprint_tables(conn, _sqlite_tables(conn))
        finally:
            conn.close()
    conn = _pg_connect(alias)
    try:
        with conn.transaction():
            return fingerprint_tables(conn, _pg_tables(conn), server_side=True)
    finally:
        conn.close()


def differences(expected: dict, actual: dict) -> list[str]:
    """What differs between two fingerprints ({name: {...}}), one line per name."""
    lines = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            lines.append(f"{name}: missing")
        elif name not in expected:
            lines.append(f"{name}: not in the backup")
        elif expected[name] != actual[name]:
            lines.append(f"{name}: expected {expected[name]}, found {actual[name]}")
    return lines


def _restore_media(tar: tarfile.TarFile, manifest: dict) -> Path | None:
    """Unpack media/ into MEDIA_ROOT; the current MEDIA_ROOT is moved aside first (returned)."""
    media_root = Path(settings.MEDIA_ROOT)
    aside = None
    if media_root.exists():
        aside = media_root.with_name(f"{media_root.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        media_root.rename(aside)
    media_root.mkdir(parents=True)
    members = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
    for member in members:
        member.name = member.name.removeprefix("media/")
    tar.extractall(media_root, members=members, filter="data")
    if problems := differences(manifest["files"], fingerprint_files(media_root)):
        raise BackupError("restored files differ from the backup:\n" + "\n".join(problems))
    return aside


@dataclass
class Restored:
    manifest: dict
    media_aside: Path | None


def restore_archive(archive: Path, *, media: bool = True, alias: str = "default") -> Restored:
    """Replace the database (and MEDIA_ROOT) with the archive's, then verify every table and file."""
    manifest = read_manifest(archive)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this one is {engine}")
    with (
        tempfile.TemporaryDirectory(prefix="grassroots-restore-") as work,
        tarfile.open(archive, "r:gz") as tar,
    ):
        tar.extract(manifest["database"], work, filter="data")
        database = Path(work) / manifest["database"]
        if engine == "sqlite":
            _restore_sqlite(database, alias)
        else:
            _restore_pg(database, manifest["tables"], alias)
        if problems := differences(manifest["tables"], _live_tables(engine, alias)):
            raise BackupError("the restored database differs from the backup:\n" + "\n".join(problems))
        aside = _restore_media(tar, manifest) if media and manifest.get("media") else None
    return Restored(manifest, aside)
