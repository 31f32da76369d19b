"""`jcpp topics`: the topic list in the database."""

from __future__ import annotations

import typer

topics_app = typer.Typer(help="The county's topic list.", no_args_is_help=True)


@topics_app.command()
def load() -> None:
    """Load the shipped default topic list: add missing topics, update those nobody edited,
    keep those county staff edited. Safe to run again."""
    from sqlmodel import Session

    from jcpp.db import get_engine
    from jcpp.topics.service import ensure_default_topics

    with Session(get_engine()) as session:
        result = ensure_default_topics(session)
        session.commit()
    typer.echo(
        f"Topic list: {len(result.added)} added, {len(result.refreshed)} updated to the shipped "
        f"version, {len(result.kept)} edited by county staff kept as they are."
    )
