"""Backing up and restoring the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A backup is one file. A SQLite backup is itself a SQLite database (open it with `sqlite3`); a
PostgreSQL backup is a pg_dump archive in the custom format. Restoring replaces every table of the
configured database with the backup's contents, and refuses a file that is not a jcpp backup of the
same kind of database.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, run with argument lists, never a shell)
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from jcpp.db import normalise_url

BACKUP_DIR = Path("var") / "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
ALEMBIC_TABLE_ENTRY = re.compile(r"\bTABLE \S+ alembic_version\b")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size_bytes: int
    revision: str | None  # the Alembic revision the backed-up database was at, when known


def is_sqlite(url: str) -> bool:
    return _parse(url).get_backend_name() == "sqlite"


def default_backup_path(url: str, *, now: dt.datetime) -> Path:
    """var/backups/jcpp-YYYYmmdd-HHMMSS.sqlite3 (or .pgdump for PostgreSQL)."""
    suffix = ".sqlite3" if is_sqlite(url) else ".pgdump"
    return BACKUP_DIR / f"jcpp-{now:%Y%m%d-%H%M%S}{suffix}"


def describe_database(url: str) -> str:
    """The database a URL points to, for messages (never with its password)."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite database {parsed.database}"
    return f"PostgreSQL database {parsed.database} on {parsed.host or 'localhost'}"


def backup_database(url: str, path: Path) -> BackupFile:
    """Write a consistent copy of the database at `url` to `path` (which must not exist yet)."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose another file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # Password hashes and personal data: readable by the owner only, from the first byte.
    partial.touch(mode=0o600)
    partial.chmod(0o600)
    try:
        if is_sqlite(url):
            revision = _backup_sqlite(_sqlite_path(url), partial)
        else:
            revision = _backup_postgres(url, partial)
        partial.replace(path)
        path.chmod(0o600)
    finally:
        partial.unlink(missing_ok=True)
    return BackupFile(path=path, size_bytes=path.stat().st_size, revision=revision)


def restore_database(url: str, path: Path) -> BackupFile:
    """Replace the contents of the database at `url` with the backup in `path`."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if is_sqlite(url):
        revision = _restore_sqlite(path, _sqlite_path(url))
    else:
        revision = _restore_postgres(url, path)
    return BackupFile(path=path, size_bytes=path.stat().st_size, revision=revision)


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_path(url: str) -> Path:
    database = _parse(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _backup_sqlite(source_path: Path, target_path: Path) -> str | None:
    if not source_path.is_file():
        raise BackupError(f"There is no database at {source_path}: nothing to back up.")
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        # The live database runs in WAL mode; the backup is a single self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_revision(target)
    finally:
        target.close()
        source.close()


def _restore_sqlite(backup_path: Path, target_path: Path) -> str | None:
    _require_magic(backup_path, SQLITE_MAGIC, "a SQLite database", target="SQLite")
    backup = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not _sqlite_has_table(backup, "alembic_version"):
            raise BackupError(
                f"{backup_path} is a SQLite database but not a jcpp backup "
                "(it has no alembic_version table); nothing was restored."
            )
        problem = backup.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"{backup_path} is damaged ({problem}); nothing was restored.")
        revision = _sqlite_revision(backup)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            backup.backup(target)
        finally:
            target.close()
        return revision
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup_path} cannot be read as a SQLite database: {error}") from error
    finally:
        backup.close()


def _sqlite_has_table(connection: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(query, (name,)).fetchone() is not None


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    if not _sqlite_has_table(connection, "alembic_version"):
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


# PostgreSQL -----------------------------------------------------------------------------------


def _backup_postgres(url: str, target_path: Path) -> str | None:
    libpq_url, env = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", f"--file={target_path}", libpq_url], env=env)
    return _archive_revision(target_path, env=env)


def _restore_postgres(url: str, backup_path: Path) -> str | None:
    _require_magic(backup_path, PG_DUMP_MAGIC, "a pg_dump archive", target="PostgreSQL")
    libpq_url, env = _libpq(url)
    listing = _run([_tool("pg_restore"), "--list", str(backup_path)], env=env)
    if not any(_is_alembic_table(line) for line in listing.splitlines()):
        raise BackupError(
            f"{backup_path} is a pg_dump archive but not a jcpp backup "
            "(it has no alembic_version table); nothing was restored."
        )
    revision = _archive_revision(backup_path, env=env)
    # One transaction: a restore that fails part-way leaves the database as it was.
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={libpq_url}",
            str(backup_path),
        ],
        env=env,
    )
    return revision


def _is_alembic_table(listing_line: str) -> bool:
    """A line of `pg_restore --list` such as `215; 1259 16385 TABLE public alembic_version me`."""
    return not listing_line.startswith(";") and ALEMBIC_TABLE_ENTRY.search(listing_line) is not None


def _archive_revision(path: Path, *, env: dict[str, str]) -> str | None:
    """The version_num stored in the archive's alembic_version data, read without restoring."""
    script = _run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        env=env,
    )
    lines = script.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return value if value and value != "\\." else None
    return None


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A URL pg_dump understands, and the environment carrying the password (kept off `ps`)."""
    parsed = _parse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed, so a PostgreSQL database cannot be backed up or restored. "
            "Install the PostgreSQL client tools (Debian: apt-get install postgresql-client), "
            "of the same major version as the server or newer."
        )
    return found


def _run(arguments: list[str], *, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603  (fixed tools, arguments as a list)
        arguments, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(arguments[0]).name
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


# Both -----------------------------------------------------------------------------------------


def _parse(url: str) -> URL:
    return make_url(normalise_url(url))


def _require_magic(path: Path, magic: bytes, kind: str, *, target: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(magic):
        return
    other = {SQLITE_MAGIC: "a SQLite backup", PG_DUMP_MAGIC: "a PostgreSQL backup"}
    for other_magic, other_kind in other.items():
        if head.startswith(other_magic):
            raise BackupError(
                f"{path} is {other_kind}, but the configured database is {target}; "
                "nothing was restored."
            )
    raise BackupError(f"{path} is not {kind}, so not a jcpp backup; nothing was restored.")
