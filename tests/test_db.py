"""The database layer: what tests and the app rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from jcpp.models import City, Committee


def test_a_commit_inside_an_outer_transaction_is_rolled_back_with_it(engine: Engine) -> None:
    """Each test's data disappears at its end, even when the app commits (SQLite and PostgreSQL)."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            session.add(City(name="Isolation Check", slug="isolation-check"))
            session.commit()
        outer.rollback()
    with Session(engine) as session:
        assert session.exec(select(City).where(City.slug == "isolation-check")).first() is None


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    """SQLite only enforces them with PRAGMA foreign_keys=ON on every connection (WAL mode too)."""
    with engine.connect() as connection, connection.begin():
        with pytest.raises(IntegrityError):
            connection.execute(
                insert(Committee).values(
                    city_id=999_999,
                    name="x",
                    slug="x",
                    kind="mac",
                    meeting_minutes=90,
                    active=True,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.postgres_only
def test_the_app_s_postgresql_sessions_plan_no_parallel_workers(engine: Engine) -> None:
    """Many short requests at once: a parallel plan's worker processes cost more than they save."""
    from sqlalchemy import text

    with engine.connect() as connection:
        setting = connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
    assert setting == "0"
