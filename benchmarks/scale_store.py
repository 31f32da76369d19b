"""The benchmark's databases: built once by Alembic and bulk inserts, then cached.

SQLite: `var/scale/jcpp-scale-<key>.sqlite3` with a `.json` marker beside it. PostgreSQL: the
database named in `--postgres-url` (default `jcpp_scale`; `jcpp_scale_x0_1` for `--scale 0.1`),
its marker kept as the database's comment. The marker is written only once generation
finished, so an interrupted run starts over; a run with other parameters (another key)
regenerates. Each run migrates the database to the newest revision, and re-runs the
derived-data rebuilds (trend rollups, search index) that are new, were missing, or whose schema
changed since (`--rebuild-derived` forces them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from alembic.script import ScriptDirectory
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from benchmarks.scale_data import TABLES, Params, Row, StateGenerator, TopicInfo
from jcpp import migrations
from jcpp.auth.passwords import hash_password
from jcpp.config import get_settings
from jcpp.db import make_engine
from jcpp.models import Topic, User, UserCity
from jcpp.topics.service import ensure_default_topics

ROOT = Path(__file__).resolve().parent.parent
SQLITE_DIR = ROOT / "var" / "scale"
PASSWORD = "scale-benchmark-password"  # noqa: S105  (the synthetic state's own accounts)
USERS = (
    ("admin@scale.example", "Scale Admin", "admin"),
    ("staff@scale.example", "Scale County Staff", "county_staff"),
    ("liaison@scale.example", "Scale Liaison", "liaison"),
)
LIAISON_CITIES = 5
# name -> (module, function): run with a session after generation, once they exist.
DERIVED = {
    "trend rollups": ("jcpp.trends.rollup", "rebuild"),
    "search index": ("jcpp.search.index", "rebuild"),
}
NOT_BUILT = "not built yet"


@dataclass
class Prepared:
    backend: str
    url: str
    key: str
    generated_now: bool
    marker: dict[str, Any] = field(default_factory=dict)


def _say(line: str) -> None:
    """Progress goes to stderr, so that `--json` leaves stdout to the report."""
    print(line, file=sys.stderr, flush=True)


def head_revision() -> str:
    head = ScriptDirectory.from_config(migrations.alembic_config()).get_current_head()
    return head or "base"


def prepare(
    backend: str, params: Params, *, fresh: bool, rebuild_derived: bool, postgres_url: str
) -> Prepared:
    """The database for `backend`, generated unless a finished one with the same key exists."""
    store: _Store
    store = _SqliteStore(params) if backend == "sqlite" else _PostgresStore(postgres_url, params)
    marker = None if fresh else store.read_marker()
    generated_now = marker is None or marker.get("key") != params.key()
    if generated_now:
        _say(f"[{backend}] generating {params.cities} cities × 120 months ({params.key()}) …")
        store.create_empty()
        migrations.upgrade("head", url=store.url)
        started = time.perf_counter()
        counts = _generate(store, params)
        marker = {
            "key": params.key(),
            "generation_seconds": round(time.perf_counter() - started, 1),
            "counts": counts,
            "derived": {},
        }
        store.write_marker(marker)
    else:
        _say(f"[{backend}] using the cached database {params.key()}")
        migrations.upgrade("head", url=store.url)
    assert marker is not None
    _derived(store, marker, force=rebuild_derived)
    return Prepared(backend, store.url, params.key(), generated_now, marker)


def _generate(store: _Store, params: Params) -> dict[str, int]:
    engine = make_engine(store.url)
    with Session(engine) as session:
        ensure_default_topics(session)
        session.commit()
        topics = [
            _topic_info(topic) for topic in session.exec(select(Topic).order_by(col(Topic.id)))
        ]
    generator = StateGenerator(params, topics, get_settings().zone)
    counts = dict.fromkeys(TABLES, 0)
    for batch in generator.batches():
        store.insert(batch)
        for table, rows in batch.items():
            counts[table] += len(rows)
    store.finish()
    with Session(engine) as session:
        _add_users(session)
        session.commit()
    engine.dispose()
    return counts


def _topic_info(topic: Topic) -> TopicInfo:
    assert topic.id is not None
    strong = tuple(term for term in topic.terms if "|" not in term and len(term) > 3)
    return TopicInfo(topic.id, topic.slug, topic.name, strong or (topic.name.lower(),))


def _add_users(session: Session) -> None:
    password_hash = hash_password(PASSWORD)
    for email, name, role in USERS:
        user = User(email=email, name=name, password_hash=password_hash, role=role)
        session.add(user)
        session.flush()
        if role == "liaison":
            assert user.id is not None
            for city_id in range(1, LIAISON_CITIES + 1):
                session.add(UserCity(user_id=user.id, city_id=city_id))


def _derived(store: _Store, marker: dict[str, Any], *, force: bool) -> None:
    head = head_revision()
    done: dict[str, Any] = marker.setdefault("derived", {})
    stale = force or marker.get("revision") != head
    analysed = False
    for name, (module_name, function_name) in DERIVED.items():
        rebuild = _find(module_name, function_name)
        if rebuild is None:
            done[name] = NOT_BUILT
            _say(f"[{store.backend}] {name}: {NOT_BUILT} (no {module_name}.{function_name})")
            continue
        if not stale and isinstance(done.get(name), float):
            continue
        if not analysed:
            store.analyze()  # planner statistics of the source rows the rebuild reads
            analysed = True
        _say(f"[{store.backend}] rebuilding {name} …")
        done[name] = _timed_rebuild(store.url, rebuild)
        _say(f"[{store.backend}] {name} rebuilt in {done[name]:.1f} s")
    if analysed:
        store.analyze()  # and of the rows the rebuilds wrote
    marker["revision"] = head
    store.write_marker(marker)


def _find(module_name: str, function_name: str) -> Callable[[Session], Any] | None:
    module = importlib.import_module(module_name)
    found = getattr(module, function_name, None)
    return found if callable(found) else None


def _timed_rebuild(url: str, rebuild: Callable[[Session], Any]) -> float:
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        rebuild(session)
        session.commit()
    engine.dispose()
    return round(time.perf_counter() - started, 1)


class _Store:
    backend = ""
    url = ""

    def read_marker(self) -> dict[str, Any] | None:
        raise NotImplementedError

    def write_marker(self, marker: dict[str, Any]) -> None:
        raise NotImplementedError

    def create_empty(self) -> None:
        raise NotImplementedError

    def insert(self, batch: dict[str, list[Row]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def analyze(self) -> None:
        """Planner statistics, as a deployment has them: on PostgreSQL what autovacuum leaves
        after bulk inserts (statistics, and the visibility map of a vacuum: the server here
        runs with autovacuum off), and on SQLite what `ANALYZE` (or `PRAGMA optimize`) gathers.
        Without them SQLite picks ix_topic_mention_topic_id for the rollup's per-meeting
        mention count, and the state's rollup rebuild does not end (over 10 minutes when
        stopped; 1 s to analyse)."""
        raise NotImplementedError


class _SqliteStore(_Store):
    backend = "sqlite"

    def __init__(self, params: Params) -> None:
        self.path = SQLITE_DIR / f"jcpp-scale-{params.key()}.sqlite3"
        self.marker_path = self.path.with_suffix(".json")
        self.url = f"sqlite:///{self.path}"
        self.connection: sqlite3.Connection | None = None

    def read_marker(self) -> dict[str, Any] | None:
        if not (self.path.exists() and self.marker_path.exists()):
            return None
        marker: dict[str, Any] = json.loads(self.marker_path.read_text())
        return marker

    def write_marker(self, marker: dict[str, Any]) -> None:
        self.marker_path.write_text(json.dumps(marker, indent=1))

    def create_empty(self) -> None:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{self.path}{suffix}" if suffix != ".json" else self.marker_path).unlink(
                missing_ok=True
            )

    def insert(self, batch: dict[str, list[Row]]) -> None:
        if self.connection is None:
            self.connection = sqlite3.connect(self.path)
            self.connection.execute("PRAGMA synchronous=OFF")
        for table, rows in batch.items():
            columns = TABLES[table]
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 (our tables)
            self.connection.executemany(sql, ([_sqlite(v) for v in row] for row in rows))
        self.connection.commit()

    def finish(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        self.analyze()

    def analyze(self) -> None:
        connection = sqlite3.connect(self.path)
        connection.execute("ANALYZE")
        connection.close()


def _sqlite(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (naive UTC datetimes, JSON as text)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


class _PostgresStore(_Store):
    backend = "postgres"

    def __init__(self, url: str, params: Params) -> None:
        # The named database holds the full state; other scales one of their own beside it.
        parsed = make_url(url)
        self.dbname = str(parsed.database)
        if params.scale != 1:
            self.dbname += "_x" + f"{params.scale:g}".replace(".", "_")
        self.url = parsed.set(database=self.dbname).render_as_string(hide_password=False)
        self.admin = make_conninfo(self.url, dbname="postgres")
        self.connection: psycopg.Connection[Any] | None = None

    def read_marker(self) -> dict[str, Any] | None:
        with psycopg.connect(self.admin, autocommit=True) as admin:
            row = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (self.dbname,),
            ).fetchone()
        if row is None or not row[0]:
            return None
        marker: dict[str, Any] = json.loads(row[0])
        return marker

    def write_marker(self, marker: dict[str, Any]) -> None:
        comment = json.dumps(marker).replace("'", "''")
        with psycopg.connect(self.admin, autocommit=True) as admin:
            admin.execute(f"COMMENT ON DATABASE \"{self.dbname}\" IS '{comment}'".encode())

    def create_empty(self) -> None:
        with psycopg.connect(self.admin, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)'.encode())
            admin.execute(f'CREATE DATABASE "{self.dbname}"'.encode())

    def insert(self, batch: dict[str, list[Row]]) -> None:
        if self.connection is None:
            self.connection = psycopg.connect(self.url)
        with self.connection.cursor() as cursor:
            for table, rows in batch.items():
                names = ", ".join(f'"{c}"' for c in TABLES[table])
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN'.encode()) as copy:
                    for row in rows:
                        copy.write_row([_postgres(v) for v in row])
        self.connection.commit()

    def finish(self) -> None:
        if self.connection is None:
            return
        with self.connection.cursor() as cursor:
            for table, columns in TABLES.items():
                if "id" in columns:
                    sequence = f"pg_get_serial_sequence('{table}', 'id')"
                    highest = f'SELECT max(id) FROM "{table}"'  # noqa: S608 (our tables)
                    cursor.execute(f"SELECT setval({sequence}, ({highest}))".encode())
        self.connection.commit()
        self.connection.close()
        self.connection = None
        self.analyze()

    def analyze(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(b"VACUUM (ANALYZE)")


def _postgres(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | dict) else value
