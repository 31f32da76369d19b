"""`jcpp import minutes DIR --committee SLUG`: a committee's archive of minutes files in.

Every .docx, .pdf, .txt and .md file under DIR (subfolders too; hidden files and Word's "~$"
lock files left alone) is imported as in the app: one transaction per file, committed before
the next, so an interrupted run keeps what it finished and a re-run skips it (content hash).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from jcpp.imports.service import Inspected, Outcome

import_app = typer.Typer(help="Bring records in from files.", no_args_is_help=True)

USER_HELP = (
    "The account the import is recorded under: the city's liaison or an admin "
    "(default: the oldest active admin)."
)
IMPORTABLE = {".docx", ".pdf", ".txt", ".md", ".doc"}  # .doc: refused with its reason


def minutes_files(directory: Path) -> tuple[list[Path], int]:
    """The files to import, in name order, and how many other files were left alone."""
    chosen, other = [], 0
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).parts
        if any(part.startswith((".", "~$")) for part in relative) or not path.is_file():
            continue
        if path.suffix.lower() in IMPORTABLE:
            chosen.append(path)
        else:
            other += 1
    return chosen, other


@import_app.command("minutes")
def import_minutes(
    directory: Path = typer.Argument(
        ..., exists=True, file_okay=False, dir_okay=True, help="Folder of minutes files."
    ),
    committee: str = typer.Option(..., "--committee", help="The committee's slug."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Read every file and say what would happen; write nothing."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database to import into (default JCPP_DATABASE_URL)."
    ),
    user: str | None = typer.Option(None, "--user", help=USER_HELP),
) -> None:
    """Import a folder of minutes files (.docx, .pdf, .txt, .md) for one committee: each file
    becomes a held meeting with its minutes (analysed as usual), or a new revision of the
    minutes of the committee's meeting on that date. The date comes from the file name or the
    first lines of the text. Files imported before (same bytes) are skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlmodel import Session, select

    from jcpp.auth.permissions import can_edit_committee, load_viewer
    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import make_engine, writing
    from jcpp.imports import service
    from jcpp.models import Committee

    url = database_url or get_settings().database_url
    files, other = minutes_files(directory)
    engine = make_engine(url)
    console = Console(stderr=True)
    outcomes: list[Outcome] = []
    committee_name = committee
    try:
        with Session(writing(engine), expire_on_commit=False) as session:
            found = session.exec(select(Committee).where(Committee.slug == committee)).first()
            if found is None or found.id is None:
                _fail(f"There is no committee {committee!r} in the {describe_database(url)}.")
            importer = service.importer_for_command_line(session, user)
            if importer is None:
                _fail(
                    f"There is no active account {user!r}."
                    if user
                    else "There is no active admin account: name one with --user EMAIL."
                )
            committee_name = found.name
            viewer = load_viewer(session, importer)
            if not can_edit_committee(viewer, found):
                _fail(
                    f"{importer.email} may not change the meetings of {found.name}: only its "
                    "city's liaison or an admin may."
                )
            seen: dict[str, str] = {}  # content hash -> file name, for duplicates in a dry run
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            verb = "Reading" if dry_run else "Importing"
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task(verb, total=len(files))
                for path in files:
                    bar.update(task, description=f"{verb} {path.name}")
                    inspected = service.inspect_path(path)
                    name = str(path.relative_to(directory))
                    inspected = _renamed(inspected, name)
                    if dry_run and inspected.content_hash in seen:
                        message = f"Skipped: duplicate of {seen[inspected.content_hash]}."
                        outcomes.append(service.Outcome(name, "duplicate", message))
                    else:
                        outcome = service.import_file(
                            session, found.id, inspected, day=None, by=viewer, dry_run=dry_run
                        )
                        outcomes.append(outcome)
                        if inspected.content_hash:
                            seen.setdefault(inspected.content_hash, name)
                    if dry_run:
                        session.rollback()
                    else:
                        session.commit()
                    bar.advance(task)
    except (OperationalError, ProgrammingError) as error:
        _fail(
            f"Could not import into the {describe_database(url)}: {error.orig or error}. "
            "Has it been migrated (`jcpp db upgrade`)?"
        )
    finally:
        engine.dispose()
    typer.echo(summary_text(outcomes, other=other, dry_run=dry_run, committee=committee_name))
    if any(outcome.failed for outcome in outcomes):
        raise typer.Exit(1)


def _renamed(inspected: Inspected, name: str) -> Inspected:
    """The file as named relative to the folder (two years' folders may hold the same name)."""
    return replace(inspected, name=name)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def summary_text(outcomes: list[Outcome], *, other: int, dry_run: bool, committee: str) -> str:
    counts = Counter(outcome.status for outcome in outcomes)
    lines = []
    if dry_run:
        lines.append(
            f"Dry run for {committee}, nothing was written: {counts['would import']} file(s) "
            f"would make new meetings, {counts['would attach']} would be added to existing "
            f"meetings, {counts['duplicate']} skipped as duplicates, {counts['failed']} failed."
        )
    else:
        lines.append(
            f"{committee}: imported {counts['imported'] + counts['attached']} file(s) "
            f"({counts['imported']} new meeting(s), {counts['attached']} added to existing "
            f"meetings), skipped {counts['duplicate']} as duplicates, {counts['failed']} failed."
        )
    for outcome in outcomes:
        if outcome.status != "failed":
            day = f" ({outcome.day:%Y-%m-%d})" if outcome.day else ""
            lines.append(f"  {outcome.status}: {outcome.name}{day} — {outcome.message}")
    failures = [outcome for outcome in outcomes if outcome.failed]
    if failures:
        lines.append("Failed:")
        lines.extend(f"  {outcome.name}: {outcome.message}" for outcome in failures)
    if other:
        lines.append(
            f"{other} other file(s) are not minutes files (.docx, .pdf, .txt, .md): left alone."
        )
    if not outcomes:
        lines.append("No minutes files were found.")
    return "\n".join(lines)
