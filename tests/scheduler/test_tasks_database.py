"""The nightly ANALYZE leaves planner statistics behind (SQLite otherwise never has any)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import Session

from scheduler.tasks.database import analyse_database
from tests.factories import create_city

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def rows_the_planner_knows(session: Session) -> float | None:
    if session.get_bind().dialect.name == "sqlite":
        if not session.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).first():
            return None
        row = session.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'city'")).first()
        return float(row[0].split()[0]) if row else None
    reltuples = session.execute(
        text("SELECT reltuples FROM pg_class WHERE relname = 'city'")
    ).scalar_one()
    return None if reltuples < 0 else float(reltuples)


def test_analyse_gives_the_planner_the_tables_sizes(session: Session) -> None:
    for name in ("Edina", "Hopkins", "Richfield"):
        create_city(session, name=name)
    session.flush()
    before = rows_the_planner_knows(session)

    outcome = analyse_database(session, now=NOW, period="2026-11-24")

    assert outcome == f"planner statistics refreshed ({session.get_bind().dialect.name})"
    assert before != rows_the_planner_knows(session) == 3
