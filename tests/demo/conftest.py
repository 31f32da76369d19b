"""The demo loaded once per database for the tests of this package that only read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from jcpp import migrations
from jcpp.db import make_engine
from jcpp.demo import load
from tests.conftest import DATABASES, create_postgres_database, drop_postgres_database

TODAY = dt.date(2026, 3, 15)
ZONE = ZoneInfo("America/Chicago")
PASSWORD = "demo pass 2026"


@dataclass(frozen=True)
class Loaded:
    session: Session
    summary: load.DemoSummary


@pytest.fixture(scope="package", params=DATABASES)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    """The demo loaded once into a new database, shared by tests that only read it."""
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jcpp.sqlite3'}"
    else:
        url, admin = create_postgres_database()
    try:
        migrations.upgrade("head", url=url)
        engine = make_engine(url)
        with Session(engine) as session:
            summary = load.load_demo(session, today=TODAY, zone=ZONE, password=PASSWORD)
            session.commit()
            yield Loaded(session, summary)
        engine.dispose()
    finally:
        if admin is not None:
            drop_postgres_database(url, admin)
