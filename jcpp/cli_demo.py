"""`jcpp demo`: load the demo cities, meetings, minutes and users into an empty database."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from jcpp.demo.load import DemoSummary


def demo(
    password: str | None = typer.Option(
        None,
        help="Give every demo user this password (for scripts) instead of generated ones.",
    ),
    if_empty: bool = typer.Option(
        False,
        "--if-empty",
        help="Load only into an empty database; otherwise do nothing and succeed.",
    ),
    seed: int = typer.Option(2026, help="Same seed, same data (apart from the passwords)."),
) -> None:
    """Load the JCPP member cities with two years of meetings and minutes, and a user per role."""
    from sqlmodel import Session

    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import get_engine
    from jcpp.demo import load
    from jcpp.errors import InvalidInput

    settings = get_settings()
    started = dt.datetime.now(dt.UTC)
    with Session(get_engine()) as session:
        missing = load.missing_tables(session)
        if missing:
            what = "no tables yet" if missing == list(load.TABLES) else f"no {', '.join(missing)}"
            typer.echo(
                f"The {describe_database(settings.database_url)} has {what}: "
                "run `jcpp db upgrade` first, then `jcpp demo` again.",
                err=True,
            )
            raise typer.Exit(1)
        if load.database_has_data(session):
            if if_empty:
                typer.echo(
                    "The database already has data: demo data not loaded. "
                    "(Forgot a password? `jcpp users set-password EMAIL` sets a new one.)"
                )
                return
            typer.echo(
                "Refusing to load demo data: the database already has cities or users, and the "
                "demo is loaded only into an empty database (so nothing is ever duplicated). "
                "Point JCPP_DATABASE_URL at a new database, or back this one up and recreate it.",
                err=True,
            )
            raise typer.Exit(1)
        today = dt.datetime.now(settings.zone).date()
        try:
            summary = load.load_demo(
                session, today=today, zone=settings.zone, seed=seed, password=password
            )
        except InvalidInput as invalid:
            typer.echo(f"--password: {invalid.errors['password']}", err=True)
            raise typer.Exit(2) from None
        session.commit()
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    login_url = settings.base_url.rstrip("/") + "/login"
    _print_summary(summary, login_url=login_url, seconds=seconds)
    _keep_credentials(summary, login_url=login_url)


def _keep_credentials(summary: DemoSummary, *, login_url: str) -> None:
    """Write the demo accounts to var/demo-credentials.txt (owner only) for later runs."""
    from jcpp.config import DEMO_CREDENTIALS

    DEMO_CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"Demo accounts (sign in at {login_url}):"]
    lines += [f"  {a.role:<13} {a.email:<22} {a.password}" for a in summary.accounts]
    DEMO_CREDENTIALS.touch(mode=0o600, exist_ok=True)
    DEMO_CREDENTIALS.chmod(0o600)
    DEMO_CREDENTIALS.write_text("\n".join(lines) + "\n")
    typer.echo(f"(These accounts are also kept in {DEMO_CREDENTIALS}, readable only by you.)")


def _print_summary(summary: DemoSummary, *, login_url: str, seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    meetings = summary.meetings
    typer.echo(
        f"Loaded demo data in {seconds:.1f} s (seed {summary.seed}): {summary.cities} cities, "
        f"{summary.people} people, {meetings['held']} held, {meetings['cancelled']} cancelled "
        f"and {meetings['scheduled']} scheduled meetings, {summary.minutes} minutes with "
        f"{summary.revisions} revisions. Still missing minutes: "
        f"{', '.join(summary.missing_minutes)}."
    )
    table = Table(title="Demo users")
    for column in ("Role", "E-mail", "Password"):
        table.add_column(column, no_wrap=True)  # copied by hand: never broken over two lines
    table.add_column("Name")
    table.add_column("Sees")
    for account in summary.accounts:
        table.add_row(account.role, account.email, account.password, account.name, account.scope)
    console = Console(width=max(120, Console().width))
    console.print(table)
    typer.echo(f"Sign in at {login_url}")
    if summary.public_minutes:
        typer.echo(f"Residents' side (no sign-in): {login_url.removesuffix('/login')}/public")
