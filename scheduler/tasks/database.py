"""The database's planner statistics. SQLite keeps none until ANALYZE runs, and without them
it counts the trend rollups through the wrong index (a state-scale rebuild took over ten minutes
instead of half a minute); PostgreSQL's autovacuum analyses on its own, but not right after
the bulk changes a re-analysis or a rebuild makes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import Session


def analyse_database(session: Session, *, now: dt.datetime, period: str) -> str:
    """Refresh the planner statistics of every table (about a second at state scale)."""
    session.exec(text("ANALYZE"))  # type: ignore[call-overload]
    return f"planner statistics refreshed ({session.get_bind().dialect.name})"
