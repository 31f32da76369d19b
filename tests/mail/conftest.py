"""A real SMTP server on a free port, settings pointing at it, and sessions for send_pending
that share the test's rolled-back transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp import migrations
from jcpp.config import Settings, get_settings
from jcpp.db import make_engine
from jcpp.models import User
from tests.conftest import DATABASES, create_postgres_database, drop_postgres_database
from tests.factories import create_user
from tests.mail.smtp_server import Recorder, SmtpServer

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def received(smtp_server: SmtpServer) -> Recorder:
    return smtp_server.recorder


@pytest.fixture
def mail_settings(smtp_server: SmtpServer) -> Settings:
    return get_settings().model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server.port,
            "smtp_security": "none",
            "smtp_from": "JCPP <jcpp@county.example>",
            "smtp_timeout": 5.0,
            "base_url": "http://testserver",
        }
    )


@pytest.fixture
def session_factory(session: Session) -> Callable[[], Session]:
    """New sessions on the test's connection: their commits are savepoints of its transaction."""
    connection = session.connection()
    return lambda: Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def liaison(session: Session) -> User:
    return create_user(session, role="liaison", email="amina@example.org", name="Amina Hassan")


@pytest.fixture(params=DATABASES)
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of the test's own, migrated to head (what is sent there is committed)."""
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jcpp.sqlite3'}"
    else:
        url, admin = create_postgres_database()
    migrations.upgrade("head", url=url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    if admin is not None:
        drop_postgres_database(url, admin)
