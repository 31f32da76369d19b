"""`jcpp backup` and `jcpp restore`: the whole database to one file and back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer


def backup(
    path: Path | None = typer.Argument(
        None,
        help="File to write (default var/backups/jcpp-YYYYmmdd-HHMMSS.sqlite3, "
        "or .pgdump for PostgreSQL). It must not exist yet.",
    ),
) -> None:
    """Back up the configured database to one file (SQLite online backup, or pg_dump)."""
    from jcpp import backup as service
    from jcpp.config import get_settings

    settings = get_settings()
    url = settings.database_url
    target = path or service.default_backup_path(url, now=dt.datetime.now(settings.zone))
    try:
        written = service.backup_database(url, target)
    except service.BackupError as error:
        typer.echo(f"Backup failed: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Backed up {service.describe_database(url)} to {written.path} "
        f"({_size(written.size_bytes)}, schema revision {written.revision or 'unknown'})."
    )


def restore(
    path: Path = typer.Argument(..., help="A file written by `jcpp backup`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Replace the configured database's contents with a backup made by `jcpp backup`."""
    from jcpp import backup as service
    from jcpp.config import get_settings

    url = get_settings().database_url
    where = service.describe_database(url)
    if not yes:
        typer.confirm(
            f"Replace everything in the {where} with the backup {path}?", abort=True, err=True
        )
    try:
        restored = service.restore_database(url, path)
    except service.BackupError as error:
        typer.echo(f"Restore failed: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Restored {where} from {restored.path} ({_size(restored.size_bytes)}, "
        f"schema revision {restored.revision or 'unknown'}). "
        "Run `jcpp db upgrade` if the backup is older than this version of jcpp."
    )


def _size(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    size = size_bytes / 1024
    for unit in ("KiB", "MiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
