"""A database of its own for each CLI test: the commands commit, so no rolled-back transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from jcpp import migrations
from jcpp.config import get_settings
from jcpp.db import get_engine, make_engine
from tests.conftest import DATABASES, create_postgres_database, drop_postgres_database


def _forget_cached_settings_and_engine() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@contextmanager
def configured_database(kind: str, directory: Path) -> Iterator[str]:
    """A new database with no tables, set as JCPP_DATABASE_URL while the block runs, with
    `directory` as the working directory."""
    admin = None
    if kind == "sqlite":
        url = f"sqlite:///{directory / 'jcpp.sqlite3'}"
    else:
        url, admin = create_postgres_database()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(directory)  # var/ (credentials, backups) goes to the test's own folder
        patch.setenv("JCPP_DATABASE_URL", url)
        _forget_cached_settings_and_engine()
        try:
            yield url
        finally:
            _forget_cached_settings_and_engine()
            if admin is not None:
                drop_postgres_database(url, admin)


@pytest.fixture(params=DATABASES)
def blank_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database with no tables, configured as JCPP_DATABASE_URL."""
    with configured_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database_url(blank_database_url: str) -> str:
    """A new database migrated to head by Alembic, configured as JCPP_DATABASE_URL."""
    migrations.upgrade("head", url=blank_database_url)
    return blank_database_url


@pytest.fixture
def cli_engine(database_url: str) -> Iterator[Engine]:
    """An engine of the test's own, to look at what the commands wrote."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()
