"""Real databases built by Alembic: SQLite always, PostgreSQL when JCPP_TEST_POSTGRES_URL is set.

Every test that asks for `session` (or `client`) runs once per database, inside a transaction
that is rolled back at its end.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

os.environ.setdefault("JCPP_SECRET_KEY", secrets.token_urlsafe(48))
os.environ["JCPP_ENVIRONMENT"] = "development"
# The shared in-process app reads each test's own database: no warm-up against the default one.
os.environ["JCPP_WARM_UP"] = "false"

from jcpp import migrations  # noqa: E402
from jcpp.db import get_session, make_engine, normalise_url  # noqa: E402
from tests.web import WebClient  # noqa: E402

IN_CI = bool(os.environ.get("CI"))
# In CI the PostgreSQL tests always run: against the CI server unless told otherwise, and an
# unreachable server fails the run (never a skip).
CI_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("JCPP_TEST_POSTGRES_URL") or (CI_POSTGRES_URL if IN_CI else None)
DATABASES = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres_only` (behaviour SQLite cannot have, such as parallel writers) run
    on PostgreSQL alone: their SQLite variants are deselected, not skipped."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("empty_database_url") == "sqlite"
        (drop if on_sqlite and item.get_closest_marker("postgres_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# The test directories whose tests share one expensive fixture (the demo on a live server, the
# demo loaded per database), scheduled first so that the longest units do not end the run.
_SHARED_UNITS = ("tests/browser", "tests/demo")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist sends each test module to one worker as a unit, so that module-scoped
    fixtures are made once; tests/browser (one live server with the demo) and tests/demo (the
    demo loaded once per database) are one unit each, and go first."""
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndSharedUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for unit in _SHARED_UNITS:
                if nodeid.startswith(unit + "/"):
                    return unit
            return nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node: Any) -> None:
            for unit in reversed(_SHARED_UNITS):
                if unit in self.workqueue:
                    self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return ModulesAndSharedUnits(config, log)


def pytest_report_header() -> str:
    return "databases: " + ", ".join(DATABASES)


def create_postgres_database() -> tuple[str, Engine]:
    """A fresh database named jcpp_test_<random> on the test server; returns its URL."""
    assert POSTGRES_URL is not None
    admin_url = normalise_url(POSTGRES_URL)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"jcpp_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # unreachable server: fail loudly, never skip
        raise RuntimeError(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}") from error
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), admin


def drop_postgres_database(url: str, admin: Engine) -> None:
    name = make_url(url).database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of the kind the test is parametrised with."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("db") / "jcpp.sqlite3"
        yield f"sqlite:///{path}"
        return
    url, admin = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url, admin)


@pytest.fixture(scope="session")
def engine(empty_database_url: str) -> Iterator[Engine]:
    """A database migrated to head by Alembic."""
    migrations.upgrade("head", url=empty_database_url)
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "empty_database_url" in metafunc.fixturenames:
        metafunc.parametrize("empty_database_url", DATABASES, indirect=True, scope="session")


# The session of the running test, which the shared app's requests use (see `app`).
_current: list[Session] = []


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction rolled back after the test; commits become savepoints."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            _current.append(session)
            try:
                yield session
            finally:
                _current.remove(session)
        transaction.rollback()


@pytest.fixture(scope="session")
def shared_app():  # type: ignore[no-untyped-def]
    """One app for the whole run (building one per test cost more than most tests); its
    requests use the running test's session."""
    from jcpp.main import create_app

    application = create_app()

    def test_session() -> Iterator[Session]:
        session = _current[-1]
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    application.dependency_overrides[get_session] = test_session
    return application


@pytest.fixture
def app(session: Session, shared_app):  # type: ignore[no-untyped-def]
    return shared_app


@pytest.fixture
def client(app) -> Iterator[WebClient]:  # type: ignore[no-untyped-def]
    """An anonymous browser-like client; `client.sign_in(user)` signs it in."""
    with WebClient(app) as web:
        yield web


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pg_dump_available() -> bool:
    return shutil.which("pg_dump") is not None
