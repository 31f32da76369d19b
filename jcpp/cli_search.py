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

    from jcpp.cli_rebuild import rebuild_database
    from jcpp.search.index import rebuild as rebuild_index

    start = time.perf_counter()
    database, documents = rebuild_database(database_url, "search index", rebuild_index)
    typer.echo(
        f"Rebuilt the search index of the {database} in "
        f"{time.perf_counter() - start:.1f} s: {documents} documents."
    )
