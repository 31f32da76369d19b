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
    from jcpp.cli_rebuild import rebuild_database
    from jcpp.trends.rollup import rebuild as rebuild_counts

    database, summary = rebuild_database(database_url, "trend counts", rebuild_counts)
    typer.echo(
        f"Rebuilt the trend counts of the {database} in {summary.seconds:.1f} s: "
        f"{summary.topic_rows} topic × city × month rows ({summary.topics} topics, "
        f"{summary.cities} cities, {summary.months} months) from {summary.meetings} meetings "
        f"that count (cancelled ones count nothing), and {summary.keyword_rows} keyword × month "
        "rows."
    )
