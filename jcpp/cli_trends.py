"""`jcpp trends`: the derived counts behind the trends dashboard."""

from __future__ import annotations

import typer

trends_app = typer.Typer(help="Trend counts per topic, city and month.", no_args_is_help=True)


@trends_app.command()
def rebuild(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database to rebuild (default JCPP_DATABASE_URL)."
    ),
) -> None:
    """Recompute the topic counts per city and month, and the keyword counts per month, from
    the meetings, their reviewed topics, evidence and concerns. Safe to run at any time."""
    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlmodel import Session

    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import make_engine, writing
    from jcpp.trends.rollup import rebuild as rebuild_counts

    url = database_url or get_settings().database_url
    engine = make_engine(url)
    try:
        with Session(writing(engine)) as session:
            summary = rebuild_counts(session)
            session.commit()
    except (OperationalError, ProgrammingError) as error:
        typer.echo(
            f"Could not rebuild the trend counts of the {describe_database(url)}: "
            f"{error.orig or error}. Has it been migrated (`jcpp db upgrade`)?",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(
        f"Rebuilt the trend counts of the {describe_database(url)} in {summary.seconds:.1f} s: "
        f"{summary.topic_rows} topic × city × month rows ({summary.topics} topics, "
        f"{summary.cities} cities, {summary.months} months) from {summary.meetings} meetings "
        f"that count (cancelled ones count nothing), and {summary.keyword_rows} keyword × month "
        "rows."
    )
