"""The scheduler's tests commit (the runner opens transactions of its own, and scheduler processes
share the database): each module gets a database of its own, migrated to head, SQLite and
PostgreSQL (when JCPP_TEST_POSTGRES_URL is set), emptied of the scheduler's rows after each test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp import clock, migrations
from jcpp.db import make_engine
from jcpp.models import JobLease, JobRequest, JobRun
from jcpp.models.scheduler import JOB_STORE_TABLE
from tests.conftest import DATABASES, create_postgres_database, drop_postgres_database
from tests.scheduler.sample_jobs import effects


@pytest.fixture(scope="module", params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of the module's own, with the sample jobs' table of effects."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('scheduler') / 'jcpp.sqlite3'}"
        admin = None
    else:
        url, admin = create_postgres_database()
    migrations.upgrade("head", url=url)
    engine = make_engine(url)
    effects.metadata.create_all(engine)
    engine.dispose()
    try:
        yield url
    finally:
        if admin is not None:
            drop_postgres_database(url, admin)


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    """The module's database, emptied of runs, leases, requests and effects after the test."""
    engine = make_engine(database_url)
    yield engine
    with Session(engine) as session:
        for table in (JobRequest, JobRun, JobLease):
            session.execute(delete(table))
        session.execute(delete(effects))
        if inspect(session.connection()).has_table(JOB_STORE_TABLE):
            session.execute(text(f"DELETE FROM {JOB_STORE_TABLE}"))  # noqa: S608 (a constant)
        session.commit()
    engine.dispose()


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The controlled clock: at[0] is now (a Tuesday, 10:00 in the county); set it to move."""
    moment = [dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(clock, "utcnow", lambda: moment[0])
    return moment
