"""Alembic: upgrade → downgrade → upgrade on each database, and the models match the migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from jcpp import migrations
from jcpp.db import make_engine
from jcpp.migrations import include_name


def test_upgrade_downgrade_upgrade_without_drift(empty_database_url: str) -> None:
    # A database of its own: the shared test database must stay at head for the other tests.
    url = empty_database_url
    if url.startswith("sqlite"):
        url = url.replace("jcpp.sqlite3", "migrations.sqlite3")
    else:
        from tests.conftest import create_postgres_database, drop_postgres_database

        url, admin = create_postgres_database()
    try:
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
    finally:
        if not url.startswith("sqlite"):
            drop_postgres_database(url, admin)
