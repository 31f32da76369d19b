"""`jcpp search`: the search index."""

from __future__ import annotations

import typer

search_app = typer.Typer(help="The search index.", no_args_is_help=True)


@search_app.command()
def rebuild(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database to rebuild (default JCPP_DATABASE_URL)."
    ),
) -> None:
    """Make the search index again from the minutes, agenda items, concerns and follow-ups.
    Safe to run at any time, best when few people use the app: on SQLite searches see the old
    index until it is done (and changes wait), on PostgreSQL searches wait for it."""
    import time

    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlmodel import Session

    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import make_engine, writing
    from jcpp.search.index import rebuild as rebuild_index

    url = database_url or get_settings().database_url
    engine = make_engine(url)
    start = time.perf_counter()
    try:
        with Session(writing(engine)) as session:
            documents = rebuild_index(session)
            session.commit()
    except (OperationalError, ProgrammingError) as error:
        typer.echo(
            f"Could not rebuild the search index of the {describe_database(url)}: "
            f"{error.orig or error}. Has it been migrated (`jcpp db upgrade`)?",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(
        f"Rebuilt the search index of the {describe_database(url)} in "
        f"{time.perf_counter() - start:.1f} s: {documents} documents."
    )
