"""Alembic: upgrade → downgrade → upgrade on each database, and the models match the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from jcpp import migrations
from jcpp.db import make_engine
from jcpp.migrations import include_name


@contextmanager
def own_database(empty_database_url: str, name: str) -> Iterator[str]:
    """A database of its own, of the kind of `empty_database_url`: the shared test database must
    stay at head for the other tests."""
    if empty_database_url.startswith("sqlite"):
        yield empty_database_url.replace("jcpp.sqlite3", f"{name}.sqlite3")
        return
    from tests.conftest import create_postgres_database, drop_postgres_database

    url, admin = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url, admin)


def test_upgrade_downgrade_upgrade_without_drift(empty_database_url: str) -> None:
    with own_database(empty_database_url, "migrations") as url:
        migrations.upgrade("head", url=url)
        migrations.downgrade("base", url=url)
        engine = make_engine(url)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        migrations.upgrade("head", url=url)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            drift = compare_metadata(context, SQLModel.metadata)
        engine.dispose()
        assert drift == [], f"models and migrations differ: {drift}"


def test_documents_indexed_before_get_their_year_word(empty_database_url: str) -> None:
    sqlite = empty_database_url.startswith("sqlite")
    matching = (
        "SELECT rowid FROM search_fts WHERE search_fts MATCH :word"
        if sqlite
        else "SELECT id FROM search_document WHERE terms_tsv @@ to_tsquery('simple', :word)"
    )
    with own_database(empty_database_url, "year_words") as url:
        migrations.upgrade("13ace4d92721", url=url)
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO search_document (id, kind, source_id, city_id, committee_id, "
                    "meeting_id, meeting_date, status, terms) VALUES (7, 'minutes', 1, 1, 1, 1, "
                    "'2025-06-30', '', 'graffiti zzcity1 zzcommittee1')"
                )
            )
            if sqlite:
                connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))

        def state() -> tuple[str, list[int]]:
            with engine.connect() as connection:
                terms = connection.execute(text("SELECT terms FROM search_document")).scalar()
                found = connection.execute(text(matching), {"word": "zzyear2025"}).scalars()
                return str(terms), list(found)

        migrations.upgrade("head", url=url)
        assert state() == ("graffiti zzcity1 zzcommittee1 zzyear2025", [7])
        migrations.downgrade("13ace4d92721", url=url)
        assert state() == ("graffiti zzcity1 zzcommittee1", [])
        engine.dispose()
