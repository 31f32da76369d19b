"""What `jcpp trends rebuild` and `jcpp search rebuild` share: rebuild derived data of one
database in one transaction, or say clearly why it could not be done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from sqlmodel import Session

T = TypeVar("T")


def rebuild_database(
    database_url: str | None, what: str, rebuild: Callable[[Session], T]
) -> tuple[str, T]:
    """Run `rebuild` on the database (default JCPP_DATABASE_URL) and commit; returns the
    database's description and what `rebuild` returned. Exits 1 with a message when the
    database cannot be rebuilt (unreachable, or not migrated)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import make_engine, writing

    url = database_url or get_settings().database_url
    engine = make_engine(url)
    try:
        with Session(writing(engine)) as session:
            result = rebuild(session)
            session.commit()
    except (OperationalError, ProgrammingError) as error:
        typer.echo(
            f"Could not rebuild the {what} of the {describe_database(url)}: "
            f"{error.orig or error}. Has it been migrated (`jcpp db upgrade`)?",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    return describe_database(url), result
