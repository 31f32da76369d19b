"""A real SMTP server on a free port, settings pointing at it, and sessions for send_pending
that share the test's rolled-back transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session

from jcpp.config import Settings, get_settings
from jcpp.models import User
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
