"""`jcpp db`: migrations."""

from __future__ import annotations

import typer

db_app = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)


@db_app.command()
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    from jcpp import migrations
    from jcpp.config import get_settings

    migrations.upgrade(revision, url=get_settings().database_url)
    typer.echo(f"Database is at {revision}.")


@db_app.command()
def downgrade(revision: str = typer.Argument(..., help="e.g. -1, or base")) -> None:
    """Migrate the database down to REVISION."""
    from jcpp import migrations
    from jcpp.config import get_settings

    migrations.downgrade(revision, url=get_settings().database_url)
    typer.echo(f"Database downgraded to {revision}.")


@db_app.command()
def current() -> None:
    """Print the database's current revision."""
    from alembic.runtime.migration import MigrationContext

    from jcpp.db import get_engine

    with get_engine().connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    typer.echo(revision or "(empty database: run `jcpp db upgrade`)")
