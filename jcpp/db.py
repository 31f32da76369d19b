"""Database engine and the request's session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine
from starlette.requests import Request

import jcpp.derived  # noqa: F401  (its session events keep derived data current on commit)
from jcpp.config import get_settings

# Requests with these methods change nothing; every other request may write.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Execution option of the engine that write requests use (see _sqlite_begin).
_WRITES = "jcpp_writes"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin): pysqlite's own implicit transactions
    # would otherwise turn SAVEPOINT release into a real commit.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A write request takes SQLite's write lock as its transaction begins, waiting (busy_timeout)
    # for another writer to commit. A deferred transaction that has read cannot write once
    # another one has committed ("database is locked"): two saves at once would be a 500
    # instead of the second one seeing the first (PostgreSQL gets the same from row locks).
    writes = connection.get_execution_options().get(_WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No parallel plans: a web request's queries are short and many run at once, and a parallel
    # plan's extra worker processes cost more than they save (a county cell's drill-down at state
    # scale: 20 ms with one worker, 10 without; p95 with 8 clients 313 and 244 ms against 448
    # and 317, benchmarks/scale.py).
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": "-c max_parallel_workers_per_gather=0"},
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def writing(engine: Engine) -> Engine:
    """The engine for sessions that will write (the same pool; see _sqlite_begin)."""
    return engine.execution_options(**{_WRITES: True})


async def request_engine() -> Engine:
    """The app's engine, as a dependency (tests put another in its place). Async, as it does no
    I/O: FastAPI runs a plain function's dependency in a worker thread, a hop per request."""
    return get_engine()


def get_session(
    request: Request, engine: Annotated[Engine, Depends(request_engine)]
) -> Iterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back otherwise.

    On SQLite, a request that may write (any method but GET, HEAD and OPTIONS) holds the
    write lock for its whole transaction, so write requests take turns.
    """
    if request.method not in READ_ONLY_METHODS:
        engine = writing(engine)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
